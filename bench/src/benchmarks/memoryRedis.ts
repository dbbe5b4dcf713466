import { cacheNamespace, pairKey } from "@seniority/pair-key";
import { DEFAULT_BUCKETS, openStore } from "@seniority/seniority-cache";
import type { Redis } from "ioredis";
import { rawBytesPerPair, usedMemory } from "../baselines/redisBaselines.js";
import { syntheticPairs } from "../core/syntheticPairs.js";
import type { RedisProcess } from "../infra/RedisProcess.js";

export interface RedisBytesRow {
  layout: string;
  bytesPerPair: number;
  kind: "system" | "baseline";
}

/** Pairs a compact bucket holds at the design's 20M pairs with the default bucket count (~76). */
const DESIGN_FIELDS_PER_BUCKET = 20_000_000 / DEFAULT_BUCKETS;

/**
 * Redis memory per cached pair, from the growth of `INFO memory` used_memory after writing
 * `count` pairs into an emptied server: the two raw layouts anyone would try first (baselines),
 * then our store's layouts through its own `setMany`.
 */
export async function measureRedisBytesPerPair(
  redis: RedisProcess,
  count: number,
  log: (m: string) => void,
): Promise<RedisBytesRow[]> {
  const client = redis.client();
  try {
    const rows: RedisBytesRow[] = [];
    log(`raw baselines at ${count} pairs`);
    rows.push({
      layout: "raw: one string key a pair (16-byte key)",
      bytesPerPair: await rawBytesPerPair(client, "string-keys", count),
      kind: "baseline",
    });
    rows.push({
      layout: "raw: hash buckets of 100, 16-byte field",
      bytesPerPair: await rawBytesPerPair(client, "hash-buckets", count),
      kind: "baseline",
    });

    const namespace = cacheNamespace("bench", "standard", "model");
    const keys = syntheticPairs(count, 4).map((p) => pairKey(p.company, p.title, "standard"));
    const designBuckets = Math.max(1, Math.round(count / DESIGN_FIELDS_PER_BUCKET));
    const layouts = [
      {
        label: `compact, default ${DEFAULT_BUCKETS.toLocaleString("en-US")} buckets`,
        layout: "compact" as const,
        buckets: DEFAULT_BUCKETS,
      },
      {
        label: `compact, ${designBuckets.toLocaleString("en-US")} buckets (the design's ~${Math.round(DESIGN_FIELDS_PER_BUCKET)} pairs a bucket)`,
        layout: "compact" as const,
        buckets: designBuckets,
      },
      { label: "keys (one key a pair)", layout: "keys" as const, buckets: undefined },
    ];
    for (const { label, layout, buckets } of layouts) {
      log(`store layout ${label}`);
      rows.push({
        layout: label,
        bytesPerPair: await storeBytesPerPair(client, redis.url, namespace, layout, buckets, keys),
        kind: "system",
      });
    }
    return rows;
  } finally {
    client.disconnect();
  }
}

/** used_memory growth per pair after writing `keys` through the store into an emptied server. */
export async function storeBytesPerPair(
  client: Redis,
  url: string,
  namespace: string,
  layout: "compact" | "keys",
  buckets: number | undefined,
  keys: readonly Buffer[],
  ttlSeconds?: number,
): Promise<number> {
  await client.flushdb();
  const before = await usedMemory(client);
  const { store } = await openStore(url, {
    namespace,
    layout,
    ...(buckets === undefined ? {} : { buckets }),
    ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
  });
  try {
    for (let i = 0; i < keys.length; i += 5000) {
      await store.setMany(keys.slice(i, i + 5000).map((key, j) => ({ key, level: 1 + ((i + j) % 7) })));
    }
    const sample = keys.filter((_, i) => i % 997 === 0);
    const levels = await store.getMany(sample);
    if (levels.some((l) => l === undefined)) throw new Error(`${layout} store lost pairs it was given`);
  } finally {
    await store.close();
  }
  return ((await usedMemory(client)) - before) / keys.length;
}
