import { cacheNamespace, pairKey } from "@seniority/pair-key";
import {
  openStore,
  SeniorityCache,
  type ModelBackend,
  type OpenStoreOptions,
} from "@seniority/seniority-cache";
import type { SeniorityPair } from "@seniority/seniority-model";
import { RedisServer } from "@seniority/testkit";
import type { Redis } from "ioredis";
import { Redis as RedisClient } from "ioredis";

export const EVICTION_NAMESPACE = cacheNamespace("bench", "standard", "model");

/** The counting model's deterministic level of a pair (so every answer can be checked). */
const levelOf = (pair: SeniorityPair): number => ((pair.title.length + pair.company.length) % 7) + 1;

/** An in-process model that answers levelOf and counts the items it was asked. */
class CountingModel implements ModelBackend {
  items = 0;
  async resolve(pairs: readonly SeniorityPair[]): Promise<number[]> {
    this.items += pairs.length;
    return pairs.map(levelOf);
  }
  async close(): Promise<void> {}
}

export interface EvictionScenario {
  label: string;
  policy: "allkeys-lru" | "volatile-lfu" | "noeviction";
  store: Omit<OpenStoreOptions, "namespace">;
}

export interface EvictionOutcome {
  pairs: number;
  evictedKeys: number;
  refusedWrites: number;
  /** Pairs with an answer in Redis after the fill (eviction then paused). */
  kept: number;
  /** Model items when every pair is asked again through a fresh cache (must be pairs − kept). */
  reinferred: number;
  /** Answers, over both passes, that differ from the model's level (must be 0). */
  wrong: number;
  fillSeconds: number;
}

/**
 * Fills a redis-server limited to `maxmemory` under the scenario's policy with `pairs` through a
 * SeniorityCache (1,000 pairs a request), pauses eviction (maxmemory 0), counts what Redis kept,
 * and asks every pair again through a fresh cache (empty L1): what the model is asked again.
 */
export async function runEviction(
  scenario: EvictionScenario,
  maxmemory: string,
  pairs: readonly SeniorityPair[],
): Promise<EvictionOutcome> {
  const server = await RedisServer.start({
    args: ["--maxmemory", maxmemory, "--maxmemory-policy", scenario.policy],
  });
  const admin = new RedisClient(server.url);
  try {
    const started = performance.now();
    const fill = await askAll(server.url, scenario, pairs);
    const fillSeconds = (performance.now() - started) / 1000;
    const evictedKeys = await infoField(admin, "stats", "evicted_keys");
    await admin.config("SET", "maxmemory", "0");
    const kept = await keptPairs(server.url, scenario, pairs);
    const again = await askAll(server.url, scenario, pairs);
    return {
      pairs: pairs.length,
      evictedKeys,
      refusedWrites: fill.refusedWrites,
      kept,
      reinferred: again.modelItems,
      wrong: fill.wrong + again.wrong,
      fillSeconds,
    };
  } finally {
    admin.disconnect();
    await server.close();
  }
}

async function askAll(
  url: string,
  scenario: EvictionScenario,
  pairs: readonly SeniorityPair[],
): Promise<{ wrong: number; modelItems: number; refusedWrites: number }> {
  const model = new CountingModel();
  const { store, coordination } = await openStore(url, { namespace: EVICTION_NAMESPACE, ...scenario.store });
  const cache = new SeniorityCache({
    store,
    coordination,
    model,
    modelCapacity: Number.POSITIVE_INFINITY,
    maxDelayMs: 1,
    l1Entries: 1000,
  });
  let wrong = 0;
  try {
    for (let start = 0; start < pairs.length; start += 1000) {
      const asked = pairs.slice(start, start + 1000);
      const levels = await cache.infer(asked);
      asked.forEach((pair, i) => (wrong += levels[i] === levelOf(pair) ? 0 : 1));
    }
  } finally {
    await cache.close();
  }
  return { wrong, modelItems: model.items, refusedWrites: cache.stats().refusedWrites };
}

async function keptPairs(
  url: string,
  scenario: EvictionScenario,
  pairs: readonly SeniorityPair[],
): Promise<number> {
  const { store } = await openStore(url, { namespace: EVICTION_NAMESPACE, ...scenario.store });
  let kept = 0;
  try {
    for (let start = 0; start < pairs.length; start += 5000) {
      const keys = pairs.slice(start, start + 5000).map((p) => pairKey(p.company, p.title, "standard"));
      kept += (await store.getMany(keys)).filter((level) => level !== undefined).length;
    }
  } finally {
    await store.close();
  }
  return kept;
}

async function infoField(client: Redis, section: string, field: string): Promise<number> {
  const match = new RegExp(`^${field}:(\\d+)`, "m").exec(await client.info(section));
  if (!match) throw new Error(`INFO ${section} has no ${field}`);
  return Number(match[1]);
}
