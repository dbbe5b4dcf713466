import { levelForTitle, ModelSim } from "@seniority/model-sim";
import { ClientError, Metadata, Status } from "nice-grpc";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startProxy, type Stack } from "./support/startStack.js";

const pairOf = (i: number) => ({ company: `Company ${i % 37}`, title: `Senior Engineer ${i}` });

describe("proxy against model-sim", () => {
  let sim: ModelSim;
  let stack: Stack | undefined;
  beforeAll(async () => {
    sim = await ModelSim.start({ capacity: 1_000_000 });
  });
  afterAll(() => sim.close());
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
    sim.setFaults({ errorRate: 0, latencyMs: 0, refuseAll: false });
    sim.resetStats();
  });

  it("50 concurrent overlapping requests infer each distinct pair once; a second round infers nothing", async () => {
    stack = await startProxy({ store: "memory", model: sim.address });
    // Request r asks for pairs r*40 .. r*40+199: neighbours overlap by 160 pairs.
    const requests = Array.from({ length: 50 }, (_, r) =>
      Array.from({ length: 200 }, (_, i) => ({ uuid: i, ...pairOf(r * 40 + i) })),
    );
    const distinct = new Set(requests.flat().map((item) => item.title)).size;
    const round = () => Promise.all(requests.map((batch) => stack!.client.inferSeniority({ batch })));
    const first = await round();
    expect(first[7]!.batch[3]).toEqual({ uuid: 3, seniority: levelForTitle(pairOf(7 * 40 + 3).title) });
    expect(sim.stats()).toMatchObject({ items: distinct, distinctPairs: distinct, duplicateInferences: 0 });
    expect(stack.cache.stats().coalesced).toBeGreaterThan(0);
    sim.resetStats();
    const second = await round();
    expect(second).toEqual(first);
    expect(sim.stats()).toMatchObject({ batches: 0, items: 0 });
  });

  it("2,500 distinct misses at once go to the model as batches [1000, 1000, 500]", async () => {
    stack = await startProxy({ store: "memory", model: sim.address });
    const batch = Array.from({ length: 2500 }, (_, i) => ({ uuid: i, ...pairOf(100_000 + i) }));
    const reply = await stack.client.inferSeniority({ batch });
    expect(reply.batch).toHaveLength(2500);
    expect(sim.stats().batchSizes).toEqual([1000, 1000, 500]);
  });

  it("answers a 10-pair request during a 20,000-pair backlog before the backlog drains", async () => {
    // Paced at 10,000 items/s, the backlog takes about two seconds.
    await sim.close();
    sim = await ModelSim.start({ capacity: 10_000 });
    // A wide pacing margin: model-sim measures arrivals, and on a busy test machine two batches
    // can reach it with 100+ ms of jitter between them (production default: 25 ms).
    stack = await startProxy({
      store: "memory",
      model: sim.address,
      modelCapacity: 10_000,
      paceMarginMs: 200,
    });
    const backlog = Array.from({ length: 20_000 }, (_, i) => ({ uuid: i, ...pairOf(200_000 + i) }));
    let backlogDone = false;
    const bulk = stack.client.inferSeniority({ batch: backlog }).then((r) => ((backlogDone = true), r));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const small = await stack.client.inferSeniority({
      batch: Array.from({ length: 10 }, (_, i) => ({ uuid: i, ...pairOf(300_000 + i) })),
    });
    const itemsWhenSmallDone = sim.stats().items;
    expect(small.batch).toHaveLength(10);
    expect(backlogDone).toBe(false);
    expect(itemsWhenSmallDone).toBeLessThan(15_000);
    expect((await bulk).batch).toHaveLength(20_000);
    const stats = sim.stats();
    expect(stats.peakItemsPerSecond).toBeLessThanOrEqual(10_000);
    // Under backlog bulk batches leave full (the 10 interactive pairs leave in a batch of their own).
    const bulkSizes = stats.batchSizes.filter((n) => n > 100);
    expect(stats.items).toBe(20_010);
    expect(bulkSizes.reduce((a, b) => a + b, 0) / bulkSizes.length).toBeGreaterThanOrEqual(950);
    // Batches are sent exactly when the model is done with the previous one, so any wait in its
    // queue is only the jitter of getting there (one batch a second would be a 0.1 s wait).
    expect(stats.queueDelaySeconds.max).toBeLessThan(0.25);
    expect(stats.duplicateInferences).toBe(0);
  });

  it("model down: misses fail fast with UNAVAILABLE once the breaker opens, hits are still served", async () => {
    stack = await startProxy({
      store: "memory",
      model: sim.address,
      modelClient: { retries: 0, breakerFailures: 2, breakerHalfOpenAfterMs: 60_000 },
    });
    const cached = { uuid: 1, ...pairOf(400_000) };
    await stack.client.inferSeniority({ batch: [cached] });
    sim.setFaults({ refuseAll: true });
    const failures: string[] = [];
    for (let i = 1; i <= 3; i++) {
      try {
        await stack.client.inferSeniority({ batch: [{ uuid: 1, ...pairOf(400_000 + i) }] });
      } catch (error) {
        if (!(error instanceof ClientError)) throw error;
        failures.push(`${Status[error.code]}: ${error.details}`);
      }
    }
    expect(failures).toEqual([
      "UNAVAILABLE: the seniority model is unavailable: UNAVAILABLE from the model",
      "UNAVAILABLE: the seniority model is unavailable: UNAVAILABLE from the model",
      "UNAVAILABLE: the seniority model is unavailable: failing fast: 2 batches in a row failed, the circuit is open",
    ]);
    const hit = await stack.client.inferSeniority({ batch: [cached] });
    expect(hit.batch).toEqual([{ uuid: 1, seniority: levelForTitle(cached.title) }]);
    expect(await stack.cache.lookupCached([pairOf(400_001)])).toEqual([
      { level: undefined, tier: undefined },
    ]);
  });

  it("sends interactive metadata ahead and honours the caller's choice of lane", async () => {
    stack = await startProxy({ store: "memory", model: sim.address });
    const big = Array.from({ length: 500 }, (_, i) => ({ uuid: i, ...pairOf(500_000 + i) }));
    const reply = await stack.client.inferSeniority(
      { batch: big },
      { metadata: Metadata({ "x-seniority-priority": "interactive" }) },
    );
    expect(reply.batch).toHaveLength(500);
    expect(sim.stats().batchSizes).toEqual([500]);
  });
});
