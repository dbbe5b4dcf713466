import { describe, expect, it } from "vitest";
import { items } from "./simClient.js";
import { untilQueued } from "./untilQueued.js";
import { useModelSims } from "./useModelSims.js";

const { start } = useModelSims();

// What stats() counts, and what resetStats() and an empty batch leave in it.
describe("ModelSim over gRPC", () => {
  it("counts batches, items, exact distinct pairs, duplicates (within and across batches) and sizes", async () => {
    const { sim, client, clock } = await start();
    const pair = (company: string, title: string, uuid = 1) => ({ uuid, company, title });
    const first = client.inferSeniority({
      batch: [
        pair("A", "CEO"),
        pair("A", "Paralegal"),
        pair("A", "CEO", 2),
        pair("B", "CEO"),
        pair("A", "ceo"),
      ],
    });
    await untilQueued(clock, 1);
    const second = client.inferSeniority({
      batch: [pair("B", "CEO"), pair("C", "CEO"), pair("A", "Paralegal")],
    });
    await untilQueued(clock, 2);
    await clock.advance(8);
    await Promise.all([first, second]);
    expect(sim.stats()).toEqual({
      batches: 2,
      items: 8,
      distinctPairs: 5, // (A,CEO) (A,Paralegal) (B,CEO) (A,ceo) (C,CEO): exact bytes, case matters
      duplicateInferences: 3, // (A,CEO) again in batch 1; (B,CEO), (A,Paralegal) in batch 2
      forgottenPairs: 0,
      maxBatchSize: 5,
      peakItemsPerSecond: 8,
      queueDelaySeconds: { total: 0.005, max: 0.005 },
      batchSizes: [5, 3],
    });
  });

  it("resets its stats, including the pairs it has seen", async () => {
    const { sim, client, clock } = await start();
    const call = client.inferSeniority({ batch: items(3, "CEO") });
    await untilQueued(clock, 1);
    await clock.advance(3);
    await call;
    expect(sim.stats().items).toBe(3);
    sim.resetStats();
    expect(sim.stats()).toEqual({
      batches: 0,
      items: 0,
      distinctPairs: 0,
      duplicateInferences: 0,
      forgottenPairs: 0,
      maxBatchSize: 0,
      peakItemsPerSecond: 0,
      queueDelaySeconds: { total: 0, max: 0 },
      batchSizes: [],
    });
    const again = client.inferSeniority({ batch: items(3, "CEO") });
    await untilQueued(clock, 1);
    await clock.advance(3);
    await again;
    expect(sim.stats()).toMatchObject({ batches: 1, distinctPairs: 3, duplicateInferences: 0 });
  });

  it("answers an empty batch at once with an empty batch, without counting it", async () => {
    const { sim, client } = await start();
    expect(await client.inferSeniority({ batch: [] })).toEqual({ batch: [] });
    expect(sim.stats()).toMatchObject({ batches: 0, items: 0, batchSizes: [] });
  });
});
