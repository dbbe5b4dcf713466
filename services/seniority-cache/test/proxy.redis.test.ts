import { levelForTitle, ModelSim } from "@seniority/model-sim";
import { NORMALIZATION_MODES } from "@seniority/pair-key";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, useRedis, waitFor } from "@seniority/testkit";
import { redisPairs } from "../../../libs/seniority-cache/test/support/redisPairs.js";
import { startProxy } from "./support/startStack.js";

const item = (uuid: number, company: string, title: string) => ({ uuid, company, title });
/** n distinct pairs, numbered from `from`. */
const batchOf = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => item(i, `Firm ${from + i}`, `Lead Accountant ${from + i}`));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("proxy with a real Redis", () => {
  const redis = useRedis();
  let sim: ModelSim;
  beforeAll(async () => {
    sim = await ModelSim.start({ capacity: 1_000_000 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it("Redis killed and restarted mid-run: no call fails, writes resume, the cache survives a proxy restart", async () => {
    const config = {
      store: redis.url,
      redisKeyPrefix: "outage:",
      model: sim.address,
      storeProbeIntervalMs: 50,
    };
    const proxy = await startProxy(config);
    await proxy.client.inferSeniority({ batch: batchOf(0, 100) });
    await waitFor(async () => (await redisPairs(redis.url, "outage:")) === 100, "100 pairs in Redis", 10_000);

    // A steady stream of calls, each with 20 old pairs and 30 new ones, across the outage.
    const calls: Promise<unknown>[] = [];
    let next = 1000;
    let running = true;
    const load = (async () => {
      while (running) {
        calls.push(proxy.client.inferSeniority({ batch: [...batchOf(0, 20), ...batchOf(next, 30)] }));
        next += 30;
        await sleep(10);
      }
    })();
    await sleep(100);
    const firstAfterKill = next;
    try {
      await redis.server.stop();
      await waitFor(() => proxy.cache.degraded, "the proxy to degrade", 10_000);
      expect(
        await proxy.cache.metrics.registry.getSingleMetricAsString("seniority_cache_store_degraded"),
      ).toMatch(/^seniority_cache_store_degraded 1$/m);
      await sleep(300);
      await redis.server.start(); // comes back empty: the test server keeps no data across restarts
      await waitFor(() => !proxy.cache.degraded, "the proxy back on Redis", 10_000);
      await sleep(100);
    } finally {
      running = false;
      await load;
    }
    const end = next;
    const results = await Promise.allSettled(calls);
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    expect(calls.length).toBeGreaterThan(30);
    await proxy.close();

    // Everything first asked for after the kill was written once Redis was back...
    expect(await redisPairs(redis.url, "outage:")).toBeGreaterThanOrEqual(end - firstAfterKill);
    // ...so a new proxy process answers it from Redis without asking the model.
    const restarted = await startProxy(config);
    const before = sim.stats().items;
    const again = await restarted.client.inferSeniority({
      batch: batchOf(firstAfterKill, end - firstAfterKill),
    });
    expect(again.batch[0]).toEqual({
      uuid: 0,
      seniority: levelForTitle(`Lead Accountant ${firstAfterKill}`),
    });
    expect(sim.stats().items - before).toBe(0);
    expect(sim.stats().duplicateInferences).toBe(0);
    await restarted.close();
  });

  it("starts degraded when Redis is not there, answering from the model", async () => {
    const proxy = await startProxy({ store: `redis://127.0.0.1:${await freePort()}`, model: sim.address });
    expect(proxy.cache.degraded).toBe(true);
    const reply = await proxy.client.inferSeniority({ batch: [item(9, "Nowhere", "CFO")] });
    expect(reply.batch).toEqual([{ uuid: 9, seniority: levelForTitle("CFO") }]);
    await proxy.close();
  });

  describe.each(["compact", "keys"] as const)("%s layout", (layout) => {
    // Spellings of one pair: v2 and v4 differ from v1 only in ways "standard" removes (spaces,
    // full-width letters); v3 only in case.
    const variants = [
      item(1, "Acme Corp", "Senior Engineer"),
      item(2, "  Acme   Corp", "Senior Engineer "),
      item(3, "ACME CORP", "SENIOR ENGINEER"),
      item(4, "Ａｃｍｅ Corp", "Senior Engineer"),
    ];
    const expectedInferences = { exact: 4, standard: 2, casefold: 1, cluster: 1 };

    it.each(NORMALIZATION_MODES)(
      "normalization %s: variants meet as the mode says, and persist",
      async (mode) => {
        const prefix = `modes:${layout}:${mode}:`;
        const config = {
          store: redis.url,
          redisLayout: layout,
          redisKeyPrefix: prefix,
          ttlSeconds: layout === "keys" ? 3600 : undefined,
          normalization: mode,
          model: sim.address,
        };
        sim.resetStats();
        const first = await startProxy(config);
        const reply = await first.client.inferSeniority({ batch: variants });
        expect(reply.batch.map((r) => r.uuid)).toEqual([1, 2, 3, 4]);
        for (const r of reply.batch) expect(r.seniority).toBe(levelForTitle(variants[r.uuid - 1]!.title));
        expect(sim.stats().items).toBe(expectedInferences[mode]);
        await first.close();
        expect(await redisPairs(redis.url, prefix)).toBe(expectedInferences[mode]);

        const second = await startProxy(config);
        expect(await second.client.inferSeniority({ batch: variants })).toEqual(reply);
        expect(sim.stats().items).toBe(expectedInferences[mode]);
        expect(second.cache.stats()).toMatchObject({ storeHits: expectedInferences[mode], modelItems: 0 });
        await second.close();

        if (layout === "keys") {
          const client = new Redis(redis.url);
          const keys: Buffer[] = []; // binary key names
          let cursor = "0";
          do {
            const [next, page] = await client.scanBuffer(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
            cursor = next.toString();
            keys.push(...page.filter((key) => key.includes(Buffer.from("}:k:")))); // answers only
          } while (cursor !== "0");
          const ttls = await Promise.all(keys.map((key) => client.ttl(key)));
          client.disconnect();
          expect(ttls).toHaveLength(expectedInferences[mode]);
          for (const ttl of ttls) expect(ttl).toBeGreaterThan(3500);
          for (const ttl of ttls) expect(ttl).toBeLessThanOrEqual(3600);
        }
      },
    );
  });
});
