import { describe, expect, it, vi } from "vitest";
import { items } from "./simClient.js";
import { untilQueued } from "./untilQueued.js";
import { useModelSims } from "./useModelSims.js";

const { start } = useModelSims();

// Time on the simulator's clock: FIFO pacing at capacity, added latency, the arrival peak.
describe("ModelSim over gRPC", () => {
  it("paces batches FIFO at capacity: 500, 1000, 250 items finish at 0.5 s, 1.5 s, 1.75 s", async () => {
    const { sim, client, clock } = await start({ capacity: 1000 });
    const doneAt: number[] = [];
    for (const [i, n] of [500, 1000, 250].entries()) {
      void client.inferSeniority({ batch: items(n) }).then(() => (doneAt[i] = clock.now()));
      await untilQueued(clock, i + 1);
    }
    await clock.advance(499);
    await clock.advance(1);
    await vi.waitFor(() => expect(doneAt).toEqual([500]), { interval: 2 });
    await clock.advance(999);
    expect(doneAt).toEqual([500]);
    await clock.advance(1);
    await vi.waitFor(() => expect(doneAt).toEqual([500, 1500]), { interval: 2 });
    await clock.advance(250);
    await vi.waitFor(() => expect(doneAt).toEqual([500, 1500, 1750]), { interval: 2 });
    expect(sim.stats().queueDelaySeconds).toEqual({ total: 2, max: 1.5 });
  });

  it("adds latencyMs after the batch is served", async () => {
    const { client, clock } = await start({ capacity: 1000, latencyMs: 200 });
    let doneAt: number | undefined;
    void client.inferSeniority({ batch: items(100) }).then(() => (doneAt = clock.now()));
    await untilQueued(clock, 1);
    await clock.advance(299);
    expect(doneAt).toBeUndefined();
    await clock.advance(1);
    await vi.waitFor(() => expect(doneAt).toBe(300), { interval: 2 });
  });

  it("measures the peak over sliding 1-second windows of arrivals", async () => {
    const { sim, client, clock } = await start({ capacity: 100_000 });
    const sendAt = async (at: number, n: number) => {
      await clock.advance(at - clock.now());
      await client.inferSeniority({ batch: items(n) }).then(
        () => undefined,
        () => undefined,
      );
    };
    // Each call finishes within 10 ms of arrival, before the next one is sent.
    const calls = [
      [0, 300],
      [400, 300],
      [1000, 200],
      [1400, 100],
      [2400, 350],
    ] as const;
    for (const [at, n] of calls) {
      const sent = sendAt(at, n);
      await untilQueued(clock, 1);
      await clock.advance(10);
      await sent;
    }
    // windows (t − 1 s, t]: 300, 600, 500 (the 0 ms batch has left), 300, 350
    expect(sim.stats().peakItemsPerSecond).toBe(600);
    expect(sim.stats().batchSizes).toEqual([300, 300, 200, 100, 350]);
  });
});
