import { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { useRedis } from "@seniority/testkit";
import { askRound, distinctPairs, redisInfo, storedTitles } from "./support/evictionRound.js";

// Compact layout, 1,024 buckets of ~63 pairs (near the design density of ~76): ~15 bytes a pair, so 65,000
// pairs (~1.2 MB with their claims, beside ~0.9 MB of an empty server) overflow 2 MB. Redis evicts whole buckets.
const PAIRS = distinctPairs(65_000);
const STORE = { buckets: 1024, keyPrefix: "compact:" };

describe("compact layout, maxmemory 2mb, allkeys-lru", () => {
  const redis = useRedis({ args: ["--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru"] });
  let admin: Redis;
  beforeAll(() => {
    admin = redis.client();
  });

  it("pairs of evicted buckets are re-inferred once when asked again, never answered wrong", async () => {
    const fill = await askRound(redis.url, STORE, PAIRS);
    expect(fill.wrong).toBe(0);
    expect(fill.inferred.length).toBe(PAIRS.length);
    const evictedKeys = await redisInfo(admin, "evicted_keys");
    expect(evictedKeys).toBeGreaterThan(0);

    const underPressure = await askRound(redis.url, STORE, PAIRS);
    expect(underPressure.wrong).toBe(0);
    expect(new Set(underPressure.inferred).size).toBe(underPressure.inferred.length);
    expect(underPressure.stats.storeHits + underPressure.stats.modelItems).toBe(PAIRS.length);

    await admin.config("SET", "maxmemory", "0"); // pause eviction: what is missing now stays missing
    const present = await storedTitles(redis.url, STORE, PAIRS);
    const missing = PAIRS.map((p) => p.title).filter((title) => !present.has(title));
    expect(present.size).toBeGreaterThan(0);
    expect(missing.length).toBeGreaterThan(0);
    const reask = await askRound(redis.url, STORE, PAIRS);
    expect(reask.wrong).toBe(0);
    expect(reask.inferred.sort()).toEqual(missing.sort());
    expect(reask.stats.storeHits).toBe(present.size);

    const settled = await askRound(redis.url, STORE, PAIRS);
    expect(settled).toMatchObject({ wrong: 0, inferred: [] });
    expect(settled.stats.storeHits).toBe(PAIRS.length);
  }, 120_000);
});
