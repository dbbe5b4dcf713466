import { levelForTitle } from "@seniority/model-sim";
import { waitFor } from "@seniority/testkit";
import { describe, expect, it } from "vitest";
import type { Stack } from "./support/startStack.js";
import { useReplicas } from "./support/useReplicas.js";

// --bloom with replicas on one Redis: another replica's writes are not in this replica's filter.
// Its negatives go on to the claim script, which reads the answer before claiming: answered from
// Redis, never inferred again. Admin Lookup reads past the filter.
const pairOf = (i: number) => ({ company: `Bloom ${i % 17}`, title: `Data Engineer ${i}` });
const itemsOf = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ uuid: i, ...pairOf(from + i) }));

async function metric(stack: Stack, name: string): Promise<string> {
  return stack.cache.metrics.registry.getSingleMetricAsString(name);
}

describe("two replicas with --bloom on one Redis and one model", () => {
  const replicas = useReplicas("bloom");

  /** Two replicas with --bloom, each once its filter is rebuilt from Redis. */
  async function startReplicas(): Promise<[Stack, Stack]> {
    const started = await replicas.start({ expectedPairs: 10_000, bloom: { falsePositiveRate: 0.01 } });
    for (const replica of started) {
      await waitFor(
        async () => (await metric(replica, "seniority_cache_bloom_ready")).endsWith(" 1"),
        "the filter to be rebuilt",
        5000,
        10,
      );
    }
    return started;
  }

  it("a pair another replica stored is a negative here, answered by the claim script, not the model", async () => {
    const [a, b] = await startReplicas();
    expect(a.cache.stats().storeKind).toBe("redis-compact+bloom");
    const batch = itemsOf(0, 100);
    const fromB = await b.client.inferSeniority({ batch });
    expect(fromB.batch[5]).toEqual({ uuid: 5, seniority: levelForTitle(pairOf(5).title) });
    expect(await a.client.inferSeniority({ batch })).toEqual(fromB);
    expect(replicas.sim.stats()).toMatchObject({ items: 100, distinctPairs: 100, duplicateInferences: 0 });
    // A never read the store for them (one lookup saved whole); the claims answered all 100.
    expect(await metric(a, "seniority_cache_bloom_checks_total")).toMatch(/result="negative"\} 100$/m);
    expect(await metric(a, "seniority_cache_bloom_skipped_reads_total")).toMatch(/ 1$/);
    expect(a.cache.stats()).toMatchObject({ modelItems: 0, claims: { won: 0, lost: 100, skipped: 0 } });
  });

  it("admin Lookup finds a pair only the other replica stored (it reads past the filter)", async () => {
    const [a, b] = await startReplicas();
    await b.client.inferSeniority({ batch: itemsOf(500, 2) });
    const lookup = await a.admin.lookup({ pairs: [pairOf(500), pairOf(501), pairOf(999)] });
    expect(lookup.results).toEqual([
      { pair: pairOf(500), seniority: levelForTitle(pairOf(500).title), tier: "store" },
      { pair: pairOf(501), seniority: levelForTitle(pairOf(501).title), tier: "store" },
      { pair: pairOf(999), seniority: 0, tier: "" },
    ]);
  });

  it("a restarted replica rebuilds its filter from Redis: what was stored is read, not inferred", async () => {
    const [a] = await startReplicas();
    await a.client.inferSeniority({ batch: itemsOf(2000, 50) });
    await replicas.closeAll();
    replicas.sim.resetStats();
    const [c] = await startReplicas();
    expect(await metric(c, "seniority_cache_bloom_rebuild_keys")).toMatch(/ 50$/);
    const answer = await c.client.inferSeniority({ batch: itemsOf(2000, 50) });
    expect(answer.batch[7]).toEqual({ uuid: 7, seniority: levelForTitle(pairOf(2007).title) });
    expect(replicas.sim.stats()).toMatchObject({ items: 0 });
    expect(c.cache.stats()).toMatchObject({ storeHits: 50, modelItems: 0 });
  });
});
