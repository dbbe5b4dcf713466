import { ClientError, Status } from "nice-grpc";
import { describe, expect, it, vi } from "vitest";
import { ModelSim } from "../src/ModelSim.js";
import { items } from "./simClient.js";
import { untilQueued } from "./untilQueued.js";
import { useModelSims } from "./useModelSims.js";

const { start } = useModelSims();

// Refusals: a batch over maxBatch, the injected error rate, refuseAll.
describe("ModelSim over gRPC", () => {
  it("rejects a batch over maxBatch with INVALID_ARGUMENT naming the limit, and accepts one at it", async () => {
    const { sim, client, clock } = await start({ maxBatch: 3 });
    await expect(client.inferSeniority({ batch: items(4) })).rejects.toEqual(
      new ClientError(
        "/SeniorityModel/InferSeniority",
        Status.INVALID_ARGUMENT,
        "batch of 4 items exceeds the max batch size of 3",
      ),
    );
    const ok = client.inferSeniority({ batch: items(3) });
    await untilQueued(clock, 1);
    await clock.advance(3);
    expect((await ok).batch).toHaveLength(3);
    expect(sim.stats().batchSizes).toEqual([3]);
    await expect(ModelSim.start({ maxBatch: 0 })).rejects.toThrow("maxBatch must be an integer ≥ 1, got 0");
  });

  it("fails the share errorRate of calls with UNAVAILABLE, drawing one random number per call", async () => {
    const draws = [0.05, 0.5, 0.09, 0.1];
    const random = vi.fn(() => draws.shift()!);
    const { sim, client, clock } = await start({ errorRate: 0.1, random });
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const call = client.inferSeniority({ batch: items(1) });
      const settled = call.then(
        () => "ok",
        (error: ClientError) => `${Status[error.code]}: ${error.details}`,
      );
      await vi.waitFor(() => expect(random).toHaveBeenCalledTimes(i + 1), { interval: 2 });
      await clock.advance(1);
      outcomes.push(await settled);
    }
    const failure = "UNAVAILABLE: model-sim injected failure (error rate 0.1)";
    expect(outcomes).toEqual([failure, "ok", failure, "ok"]);
    expect(sim.stats()).toMatchObject({ batches: 2, items: 2 });
  });

  it("refuses every call while refuseAll is set, and serves again once cleared", async () => {
    const { sim, client, clock } = await start();
    sim.setFaults({ refuseAll: true });
    await expect(client.inferSeniority({ batch: items(1) })).rejects.toMatchObject({
      code: Status.UNAVAILABLE,
      details: "model-sim refuses all calls (injected fault)",
    });
    sim.setFaults({ refuseAll: false });
    const call = client.inferSeniority({ batch: items(1) });
    await untilQueued(clock, 1);
    await clock.advance(1);
    expect((await call).batch).toEqual([{ uuid: 1, seniority: 2 }]);
    expect(sim.faults()).toEqual({ errorRate: 0, latencyMs: 0, refuseAll: false });
    expect(() => sim.setFaults({ errorRate: 2 })).toThrow("errorRate must be a number in 0..1, got 2");
  });
});
