import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useRedis } from "@seniority/testkit";
import { openStore, type OpenStoreOptions } from "../src/stores/openStore.js";
import { RedisKeys } from "../src/stores/RedisKeys.js";

// Bytes a pair in Redis (used_memory delta), at the compact layout's design density: 20M pairs in
// 262,144 buckets ≈ 76 a bucket, reproduced here as 100k pairs in 1,316 buckets.
const PAIRS = 100_000;
const BUCKETS = Math.round(PAIRS / (20_000_000 / 262_144));

const redis = useRedis();
let admin: Redis;
beforeAll(() => {
  admin = redis.client();
});
beforeEach(async () => {
  await admin.flushall();
});

async function usedMemory(): Promise<number> {
  return Number(/^used_memory:(\d+)/m.exec(await admin.info("memory"))![1]);
}

/** Writes PAIRS pairs in 10k-pair calls and returns Redis' memory growth per pair. */
async function bytesPerPair(options: Omit<OpenStoreOptions, "namespace">): Promise<number> {
  const { store } = await openStore(redis.url, { namespace: "v1:std", ...options });
  const before = await usedMemory();
  for (let start = 0; start < PAIRS; start += 10_000) {
    const entries = Array.from({ length: 10_000 }, (_, i) => ({
      key: createHash("md5")
        .update(String(start + i))
        .digest(),
      level: ((start + i) % 7) + 1,
    }));
    await store.setMany(entries);
  }
  const grown = (await usedMemory()) - before;
  await store.close();
  return grown / PAIRS;
}

describe("Redis memory per pair", () => {
  it("compact: ≤ 20 bytes a pair, every bucket listpack-encoded", async () => {
    const perPair = await bytesPerPair({ buckets: BUCKETS });
    expect(perPair).toBeLessThanOrEqual(20);
    expect(await admin.dbsize()).toBe(BUCKETS + 1); // + the namespace's meta hash (bucket and partition counts)
    const keys = new RedisKeys("seniority:", "v1:std");
    keys.usePartitions(1); // a single server's default: the namespace is one hash tag
    const pipeline = admin.pipeline();
    for (let b = 0; b < BUCKETS; b++) pipeline.object("ENCODING", keys.bucketKey(BUCKETS, b));
    const encodings = new Set((await pipeline.exec())!.map(([, encoding]) => encoding));
    expect(encodings).toEqual(new Set(["listpack"]));
  });

  it("keys: one key a pair costs several times more", async () => {
    const perPair = await bytesPerPair({ layout: "keys" });
    expect(await admin.dbsize()).toBe(PAIRS + 1); // + the namespace's meta hash (its partition count)
    expect(perPair).toBeGreaterThan(60);
    expect(perPair).toBeLessThan(120);
  });
});
