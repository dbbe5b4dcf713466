import { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { useRedis, type RedisFixture } from "@seniority/testkit";
import {
  askRound,
  distinctPairs,
  redisInfo,
  storedTitles,
  type EvictionStore,
} from "./support/evictionRound.js";

// Keys layout under a real maxmemory: ~90 bytes a pair, so 15,000 pairs (~1.4 MB beside ~0.9 MB of an empty server) overflow 2 MB.
const PAIRS = distinctPairs(15_000);

/**
 * Fills Redis past maxmemory through the cache, then checks: (1) a second pass under the same
 * pressure answers every pair right, each miss inferred once; (2) with eviction paused
 * (maxmemory 0), exactly the pairs missing from Redis are re-inferred, once each; (3) after that,
 * nothing is inferred again.
 */
async function evictAndReask(redis: RedisFixture, admin: Redis, store: EvictionStore): Promise<void> {
  const fill = await askRound(redis.url, store, PAIRS);
  expect(fill.wrong).toBe(0);
  expect(fill.inferred.length).toBe(PAIRS.length);
  expect(fill.stats.refusedWrites).toBe(0);
  expect(await redisInfo(admin, "evicted_keys")).toBeGreaterThan(0);

  const underPressure = await askRound(redis.url, store, PAIRS);
  expect(underPressure.wrong).toBe(0);
  expect(underPressure.inferred.length).toBeGreaterThan(0);
  expect(new Set(underPressure.inferred).size).toBe(underPressure.inferred.length);
  expect(underPressure.stats.storeHits + underPressure.stats.modelItems).toBe(PAIRS.length);

  await admin.config("SET", "maxmemory", "0");
  const present = await storedTitles(redis.url, store, PAIRS);
  expect(present.size).toBeGreaterThan(0);
  expect(present.size).toBeLessThan(PAIRS.length);
  const missing = PAIRS.map((p) => p.title).filter((title) => !present.has(title));
  const reask = await askRound(redis.url, store, PAIRS);
  expect(reask.wrong).toBe(0);
  expect(reask.inferred.sort()).toEqual(missing.sort());
  expect(reask.stats.storeHits).toBe(present.size);

  const settled = await askRound(redis.url, store, PAIRS);
  expect(settled).toMatchObject({ wrong: 0, inferred: [] });
  expect(settled.stats.storeHits).toBe(PAIRS.length);
}

describe("keys layout, maxmemory 2mb, allkeys-lru", () => {
  const redis = useRedis({ args: ["--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"] });
  let admin: Redis;
  beforeAll(() => {
    admin = redis.client();
  });

  it("evicted pairs are re-inferred once when asked again, never answered wrong", async () => {
    await evictAndReask(redis, admin, { layout: "keys", keyPrefix: "lru:" });
  }, 120_000);
});

describe("keys layout with a TTL, maxmemory 2mb, volatile-lfu", () => {
  const redis = useRedis({ args: ["--maxmemory", "2mb", "--maxmemory-policy", "volatile-lfu"] });
  let admin: Redis;
  beforeAll(() => {
    admin = redis.client();
  });

  it("evicts expiring pairs: re-inferred once when asked again, never answered wrong", async () => {
    await evictAndReask(redis, admin, { layout: "keys", ttlSeconds: 3600, keyPrefix: "lfu:" });
  }, 120_000);
});
