import { ModelSim } from "@seniority/model-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useRedis } from "@seniority/testkit";
import { startProxy } from "./support/startStack.js";

const itemsOf = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ uuid: i, company: "Pace Co", title: `Analyst ${from + i}` }));

describe("shared pacing: two replicas, one model at 1,000 items/s", () => {
  const redis = useRedis();
  let sim: ModelSim;
  beforeAll(async () => {
    sim = await ModelSim.start({ capacity: 1000 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  /** Each replica gets a backlog of 1,000 distinct pairs at once; returns seconds until both are answered. */
  async function backlog(prefix: string, sharedPacing: boolean) {
    sim.resetStats();
    const config = {
      store: redis.url,
      redisKeyPrefix: prefix,
      model: sim.address,
      modelCapacity: 1000,
      maxBatch: 250,
      sharedPacing,
      // model-sim measures arrivals: leave room for the jitter of a busy test machine.
      paceMarginMs: 100,
    };
    const replicas = await Promise.all([startProxy(config), startProxy(config)]);
    try {
      const started = performance.now();
      await Promise.all(
        replicas.map((replica, r) => replica.client.inferSeniority({ batch: itemsOf(r * 1000, 1000) })),
      );
      const elapsedSeconds = (performance.now() - started) / 1000;
      return { elapsedSeconds, batches: replicas.map((replica) => replica.cache.stats().modelBatches) };
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  }

  it("together they never send more than the capacity in any second", async () => {
    const { elapsedSeconds, batches } = await backlog("pace-shared:", true);
    const stats = sim.stats();
    expect(stats).toMatchObject({ items: 2000, duplicateInferences: 0, maxBatchSize: 250 });
    // Sent when the model is free: it never queues one replica's batch behind the other's.
    expect(stats.queueDelaySeconds.max).toBeLessThan(0.1);
    expect(stats.peakItemsPerSecond).toBeLessThanOrEqual(1000);
    expect(stats.items).toBeLessThanOrEqual(1000 * (elapsedSeconds + 1));
    // The second 1,000 items wait for the first second's window to pass, whoever sends them.
    expect(elapsedSeconds).toBeGreaterThan(1);
    expect(batches[0]! + batches[1]!).toBe(8);
    expect(batches.every((n) => n > 0)).toBe(true);
  });

  it("(control) each pacing alone, they send twice the capacity in the first second", async () => {
    await backlog("pace-alone:", false);
    expect(sim.stats().peakItemsPerSecond).toBeGreaterThan(1000);
  });
});
