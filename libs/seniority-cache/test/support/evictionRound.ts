import { cacheNamespace, pairKey } from "@seniority/pair-key";
import type { SeniorityPair } from "@seniority/seniority-model";
import type { Redis } from "ioredis";
import { Registry } from "prom-client";
import { CacheMetrics } from "../../src/core/CacheMetrics.js";
import { SeniorityCache } from "../../src/core/SeniorityCache.js";
import type { SeniorityCacheStats } from "../../src/core/SeniorityCacheOptions.js";
import { openStore, type OpenStoreOptions } from "../../src/stores/openStore.js";
import { levelOf, RecordingModel } from "./RecordingModel.js";

/** The namespace every eviction test writes (the default model, standard normalization). */
export const EVICTION_NAMESPACE = cacheNamespace("v1", "standard", "model");

/** Store settings of one eviction test: layout, TTL, buckets and its own key prefix. */
export type EvictionStore = Omit<OpenStoreOptions, "namespace"> & { keyPrefix: string };

/** `count` distinct pairs whose model level (levelOf) takes all seven values. */
export function distinctPairs(count: number): SeniorityPair[] {
  return Array.from({ length: count }, (_, i) => ({
    company: `Company ${i}`,
    title: `${"x".repeat(i % 7)} Engineer ${i}`,
  }));
}

/** What one pass over the pairs through a fresh cache (empty L1, a new counting model) saw. */
export interface Round {
  /** Answers that differ from the model's deterministic level (must be 0). */
  wrong: number;
  /** Titles the model was asked, in order (a pair asked twice appears twice). */
  inferred: string[];
  stats: SeniorityCacheStats;
  /** seniority_cache_store_refused_writes_total at the end. */
  refusedMetric: number;
}

/**
 * Asks every pair once, `chunk` pairs a request, through a new SeniorityCache on the Redis at `url`
 * (a fresh L1, so every answer comes from Redis or the model), then closes it.
 */
export async function askRound(
  url: string,
  store: EvictionStore,
  pairs: readonly SeniorityPair[],
  chunk = 1000,
): Promise<Round> {
  const model = new RecordingModel();
  const metrics = new CacheMetrics(new Registry());
  const opened = await openStore(url, { namespace: EVICTION_NAMESPACE, ...store });
  const cache = new SeniorityCache({
    metrics,
    store: opened.store,
    coordination: opened.coordination, // claims in Redis too, as a replica makes them
    model,
    modelCapacity: Number.POSITIVE_INFINITY,
    maxDelayMs: 1,
    l1Entries: 1000,
  });
  let wrong = 0;
  try {
    for (let start = 0; start < pairs.length; start += chunk) {
      const asked = pairs.slice(start, start + chunk);
      const levels = await cache.infer(asked);
      asked.forEach((pair, i) => (wrong += levels[i] === levelOf(pair.title) ? 0 : 1));
    }
  } finally {
    await cache.close(); // flushes the store writes: stats() then counts refused writes too
  }
  const refusedMetric = (await metrics.storeRefusedWrites.get()).values[0]?.value ?? 0;
  return { wrong, inferred: model.batches.flat().map((p) => p.title), stats: cache.stats(), refusedMetric };
}

/** Titles of the pairs that have an answer in Redis now (read through the store itself). */
export async function storedTitles(
  url: string,
  store: EvictionStore,
  pairs: readonly SeniorityPair[],
): Promise<Set<string>> {
  const { store: reader } = await openStore(url, { namespace: EVICTION_NAMESPACE, ...store });
  try {
    const present = new Set<string>();
    for (let start = 0; start < pairs.length; start += 5000) {
      const slice = pairs.slice(start, start + 5000);
      const levels = await reader.getMany(slice.map((p) => pairKey(p.company, p.title, "standard")));
      slice.forEach((pair, i) => {
        if (levels[i] !== undefined) present.add(pair.title);
      });
    }
    return present;
  } finally {
    await reader.close();
  }
}

/** A counter of `INFO stats` or `INFO memory` (e.g. evicted_keys, used_memory). */
export async function redisInfo(admin: Redis, field: string): Promise<number> {
  const section = field === "used_memory" ? "memory" : "stats";
  const match = new RegExp(`^${field}:(\\d+)`, "m").exec(await admin.info(section));
  if (!match) throw new Error(`INFO ${section} has no ${field}`);
  return Number(match[1]);
}
