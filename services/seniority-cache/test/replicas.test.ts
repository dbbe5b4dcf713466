import { levelForTitle } from "@seniority/model-sim";
import { cacheNamespace, pairKey } from "@seniority/pair-key";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { waitFor } from "@seniority/testkit";
import { useReplicas } from "./support/useReplicas.js";

const pairOf = (i: number) => ({ company: `Firm ${i % 23}`, title: `Staff Engineer ${i}` });
const itemsOf = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ uuid: i, ...pairOf(from + i) }));

/** waitFor as these tests need it: 5 s at the most, polled every 10 ms. */
const until = (condition: () => boolean | Promise<boolean>, what: string) =>
  waitFor(condition, what, 5000, 10);

describe("two replicas on one Redis and one model", () => {
  const replicas = useReplicas("replicas");
  const { redis } = replicas;

  it("30 concurrent overlapping requests split across both infer each distinct pair once, ever", async () => {
    const [a, b] = await replicas.start();
    // Request r asks for pairs r*40 .. r*40+199 (neighbours overlap by 160); even r → A, odd r → B.
    const requests = Array.from({ length: 30 }, (_, r) => itemsOf(r * 40, 200));
    const distinct = new Set(requests.flat().map((item) => item.title)).size;
    const round = () =>
      Promise.all(requests.map((batch, r) => (r % 2 === 0 ? a : b).client.inferSeniority({ batch })));
    const first = await round();
    expect(first[7]!.batch[3]).toEqual({ uuid: 3, seniority: levelForTitle(pairOf(7 * 40 + 3).title) });
    expect(replicas.sim.stats()).toMatchObject({
      items: distinct,
      distinctPairs: distinct,
      duplicateInferences: 0,
    });
    const [sa, sb] = [a.cache.stats(), b.cache.stats()];
    expect(sa.modelItems + sb.modelItems).toBe(distinct);
    expect(sa.claims.won + sb.claims.won).toBe(distinct);
    expect(sa.claims.lost + sb.claims.lost).toBeGreaterThan(0); // they did meet
    expect(sa.claims.skipped + sb.claims.skipped).toBe(0);
    expect([sa.waitingOnReplicas, sb.waitingOnReplicas]).toEqual([0, 0]);
    expect(await a.cache.metrics.registry.getSingleMetricAsString("seniority_cache_claims_total")).toMatch(
      new RegExp(`^seniority_cache_claims_total\\{result="won"\\} ${sa.claims.won}$`, "m"),
    );

    // Every claim was released once its answer was stored.
    expect(await claimKeys(replicas.keyPrefix)).toEqual([]);
    replicas.sim.resetStats();
    expect(await round()).toEqual(first);
    expect(replicas.sim.stats()).toMatchObject({ batches: 0, items: 0 });
  });

  it("a pair another replica is inferring is waited for, not inferred again", async () => {
    const [a, b] = await replicas.start();
    replicas.sim.setFaults({ latencyMs: 300 });
    try {
      const batch = itemsOf(10_000, 50);
      const first = a.client.inferSeniority({ batch });
      await until(() => a.cache.stats().claims.won === 50, "A to win 50 claims");
      const second = b.client.inferSeniority({ batch });
      await until(() => b.cache.stats().waitingOnReplicas === 50, "B to wait on 50 pairs");
      expect(await second).toEqual(await first);
    } finally {
      replicas.sim.setFaults({ latencyMs: 0 });
    }
    expect(replicas.sim.stats()).toMatchObject({ items: 50, duplicateInferences: 0 });
    expect(b.cache.stats()).toMatchObject({ modelItems: 0, claims: { won: 0, lost: 50, skipped: 0 } });
  });

  it("a claim left by a replica that died expires, and a waiting replica then infers the pair", async () => {
    const [, b] = await replicas.start();
    const pair = pairOf(40_000);
    const client = new Redis(redis.url);
    const claim = `${replicas.keyPrefix}{${cacheNamespace("v1", "standard", "model")}}:claim:${pairKey(pair.company, pair.title, "standard").toString("hex")}`;
    await client.set(claim, "a-replica-that-died", "PX", 300);
    client.disconnect();
    const started = performance.now();
    expect(await b.cache.infer([pair])).toEqual([levelForTitle(pair.title)]);
    expect(performance.now() - started).toBeGreaterThan(250);
    expect(b.cache.stats()).toMatchObject({ modelItems: 1, claims: { won: 1, lost: 1, skipped: 0 } });
    expect(replicas.sim.stats()).toMatchObject({ items: 1, duplicateInferences: 0 });
    expect(await claimKeys(replicas.keyPrefix)).toEqual([]); // released once stored
  });

  it("invalidation on one replica drops the pair from the other's L1", async () => {
    const [a, b] = await replicas.start();
    const pair = pairOf(20_000);
    await a.cache.infer([pair]);
    await b.cache.infer([pair]); // from the store, now in B's L1
    expect(await b.cache.lookupCached([pair])).toEqual([{ level: levelForTitle(pair.title), tier: "l1" }]);
    await subscribers(2, replicas.keyPrefix);

    expect(await a.admin.invalidate({ pairs: [pair] })).toEqual({ removed: 1 });
    await until(
      async () => (await b.cache.lookupCached([pair]))[0]!.tier !== "l1",
      "B to drop the pair from L1",
    );
    expect(await b.cache.lookupCached([pair])).toEqual([{ level: undefined, tier: undefined }]);
    expect(
      await b.cache.metrics.registry.getSingleMetricAsString("seniority_cache_invalidations_received_total"),
    ).toMatch(/ 1$/m);
  });

  it("Redis down: claims are skipped and every call still succeeds; after it returns, invalidation reaches the other replica again", async () => {
    const [a, b] = await replicas.start({ storeProbeIntervalMs: 50 });
    await redis.server.stop();
    try {
      const replies = await Promise.all([
        a.client.inferSeniority({ batch: itemsOf(30_000, 20) }),
        b.client.inferSeniority({ batch: itemsOf(30_010, 20) }),
      ]);
      expect(replies.map((reply) => reply.batch.length)).toEqual([20, 20]);
      expect([a.cache.stats().claims, b.cache.stats().claims]).toEqual([
        { won: 0, lost: 0, skipped: 20 },
        { won: 0, lost: 0, skipped: 20 },
      ]);
      expect(await b.cache.metrics.registry.getSingleMetricAsString("seniority_cache_claims_total")).toMatch(
        /^seniority_cache_claims_total\{result="skipped"\} 20$/m,
      );
    } finally {
      await redis.server.start();
    }
    await until(() => !a.cache.degraded && !b.cache.degraded, "both replicas back on Redis");
    // B answers this pair from its L1 (it inferred it while Redis was down) until told otherwise.
    const pair = pairOf(30_015);
    expect((await b.cache.lookupCached([pair]))[0]!.tier).toBe("l1");
    await subscribers(2, replicas.keyPrefix);
    await a.cache.invalidate([pair]);
    await until(
      async () => (await b.cache.lookupCached([pair]))[0]!.tier === undefined,
      "B to forget the pair",
    );
  });

  /** Claims left in Redis under `keyPrefix`. */
  async function claimKeys(keyPrefix: string): Promise<string[]> {
    const client = new Redis(redis.url);
    try {
      return await client.keys(`${keyPrefix}{${cacheNamespace("v1", "standard", "model")}}:claim:*`);
    } finally {
      client.disconnect();
    }
  }

  /** Waits until `n` replicas listen on the invalidation channel of `keyPrefix`. */
  async function subscribers(n: number, keyPrefix: string): Promise<void> {
    const client = new Redis(redis.url);
    const channel = `${keyPrefix}{${cacheNamespace("v1", "standard", "model")}}:invalidate`;
    try {
      await until(async () => {
        const reply = (await client.pubsub("NUMSUB", channel)) as [string, number];
        return Number(reply[1]) === n;
      }, `${n} subscribers`);
    } finally {
      client.disconnect();
    }
  }
});
