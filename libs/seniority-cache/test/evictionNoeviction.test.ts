import { ManualClock } from "@seniority/clock";
import { pairKey } from "@seniority/pair-key";
import type { SeniorityPair } from "@seniority/seniority-model";
import { describe, expect, it } from "vitest";
import { useRedis, waitFor, type RedisFixture } from "@seniority/testkit";
import { openStore } from "../src/stores/openStore.js";
import { ResilientStore } from "../src/stores/ResilientStore.js";
import {
  askRound,
  distinctPairs,
  EVICTION_NAMESPACE,
  redisInfo,
  storedTitles,
  type EvictionStore,
} from "./support/evictionRound.js";

const PAIRS = distinctPairs(20_000);

/**
 * No pair Redis may evict: past maxmemory every write of answers is refused. The cache keeps
 * answering (the model, right), counts the refused writes, and keeps reading what Redis holds.
 * Resolves to the keys Redis evicted meanwhile (claims, under a volatile-* policy).
 */
async function fullStoreKeepsAnswering(
  redis: RedisFixture,
  store: EvictionStore,
  pairs: readonly SeniorityPair[] = PAIRS,
): Promise<number> {
  const PAIRS = pairs;
  const fill = await askRound(redis.url, store, PAIRS);
  expect(fill.wrong).toBe(0);
  expect(fill.inferred.length).toBe(PAIRS.length);
  const present = await storedTitles(redis.url, store, PAIRS);
  expect(present.size).toBeGreaterThan(0);
  // A write (one MSET or one script call) is refused whole: each pair is stored or refused, and
  // none was evicted.
  expect(fill.stats.refusedWrites).toBe(PAIRS.length - present.size);
  expect(fill.stats.refusedWrites).toBeGreaterThan(0);
  expect(fill.refusedMetric).toBe(PAIRS.length - present.size);
  expect(fill.stats.storeDegraded).toBe(false);

  const again = await askRound(redis.url, store, PAIRS);
  expect(again.wrong).toBe(0);
  expect(again.stats).toMatchObject({
    storeHits: present.size,
    modelItems: PAIRS.length - present.size,
    storeDegraded: false,
    bufferedWrites: 0,
  });
  // Memory moves a little (claims come and go): a write may fit now; each is stored or refused.
  const added = (await storedTitles(redis.url, store, PAIRS)).size - present.size;
  expect(again.stats.refusedWrites).toBe(again.stats.modelItems - added);
  return redisInfo(redis.client(), "evicted_keys");
}

describe("maxmemory 2mb, noeviction", () => {
  const redis = useRedis({ args: ["--maxmemory", "2mb", "--maxmemory-policy", "noeviction"] });

  it("keys layout: writes are refused and counted, answers stay right, stored pairs still hit", async () => {
    expect(await fullStoreKeepsAnswering(redis, { layout: "keys", keyPrefix: "noev-keys:" })).toBe(0);
  }, 120_000);

  it("a write buffered during an outage and refused on replay is dropped; the store is used again", async () => {
    const settings = { namespace: EVICTION_NAMESPACE, layout: "keys" as const, keyPrefix: "noev-replay:" };
    // A manual clock: no probe (and no replay) until the test has filled Redis.
    const clock = new ManualClock();
    const resilient = new ResilientStore({
      store: (await openStore(redis.url, settings)).store,
      probeIntervalMs: 50,
      clock,
    });
    await redis.server.stop();
    const entries = Array.from({ length: 10 }, (_, i) => ({
      key: pairKey("Initech", `Intern ${i}`, "standard"),
      level: 1,
    }));
    expect(await resilient.write(entries)).toBe(false);
    expect(resilient).toMatchObject({ degraded: true, bufferedWrites: 10, refused: 0 });

    await redis.server.start(); // empty: one answer, then foreign data up to maxmemory
    const admin = redis.client();
    const { store: fresh } = await openStore(redis.url, settings);
    await fresh.setMany([{ key: pairKey("Acme", "CEO", "standard"), level: 7 }]);
    await fresh.close();
    const filler = "x".repeat(10_000);
    await expect(
      (async () => {
        for (let i = 0; ; i++) await admin.set(`foreign:${i}`, filler);
      })(),
    ).rejects.toThrow(/^OOM /);
    await waitFor(async () => {
      await clock.advance(50);
      return !resilient.degraded;
    }, "the store in use again");
    expect(resilient).toMatchObject({ bufferedWrites: 0, refused: 10, dropped: 0 });
    expect(await resilient.lookup([pairKey("Acme", "CEO", "standard"), entries[0]!.key])).toEqual([
      7,
      undefined,
    ]);
    await resilient.close();
  }, 30_000);
});

describe("maxmemory 2mb, noeviction, compact layout", () => {
  // 80,000 pairs in 1,024 buckets (~78 a bucket, ~15 bytes a pair) overflow 2 MB; about a quarter fit.
  const redis = useRedis({ args: ["--maxmemory", "2mb", "--maxmemory-policy", "noeviction"] });

  it("write scripts are refused whole and counted, answers stay right", async () => {
    expect(
      await fullStoreKeepsAnswering(
        redis,
        { buckets: 1024, keyPrefix: "noev-compact:" },
        distinctPairs(80_000),
      ),
    ).toBe(0);
  }, 120_000);
});

describe("maxmemory 2mb, volatile-lfu, keys layout without a TTL", () => {
  const redis = useRedis({ args: ["--maxmemory", "2mb", "--maxmemory-policy", "volatile-lfu"] });

  it("no pair expires, so none is evicted (only claims are): the same as noeviction", async () => {
    // The only keys with an expiry are the claims (PX claimTtlMs): those go, never an answer.
    expect(await fullStoreKeepsAnswering(redis, { layout: "keys", keyPrefix: "lfu-nottl:" })).toBeGreaterThan(
      0,
    );
  }, 120_000);
});
