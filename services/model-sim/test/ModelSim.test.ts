import { ManualClock } from "@seniority/clock";
import { ClientError, Status } from "nice-grpc";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ModelSim, type ModelSimOptions } from "../src/ModelSim.js";
import { items, simClient } from "./simClient.js";

const open: { close(): unknown }[] = [];

afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function start(options: ModelSimOptions = {}) {
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock();
  const sim = await ModelSim.start({ clock, ...options });
  const client = simClient(sim.address);
  open.push(sim, client);
  return { sim, client, clock };
}

/** Waits (in real time, briefly) until the simulator holds `n` calls in its queue. */
async function untilQueued(clock: ManualClock, n: number): Promise<void> {
  await vi.waitFor(() => expect(clock.pending).toBe(n), { interval: 2 });
}

describe("ModelSim over gRPC", () => {
  it("answers every item with its uuid and the title's level, in request order (company ignored)", async () => {
    const { client, clock } = await start();
    const call = client.inferSeniority({
      batch: [
        { uuid: 7, company: "Acme", title: "CEO" },
        { uuid: -3, company: "Other", title: "Paralegal" },
        { uuid: 7, company: "Acme", title: "CEO" }, // a repeated uuid is answered again
        { uuid: 2, company: "Zeta", title: "Lead Lawyer" },
      ],
    });
    await untilQueued(clock, 1);
    await clock.advance(4);
    expect(await call).toEqual({
      batch: [
        { uuid: 7, seniority: 7 },
        { uuid: -3, seniority: 1 },
        { uuid: 7, seniority: 7 },
        { uuid: 2, seniority: 4 },
      ],
    });
  });

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

  it("serves many concurrent calls on the system clock without warnings", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const sim = await ModelSim.start({ capacity: 100_000 });
      const client = simClient(sim.address);
      open.push(sim, client);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => client.inferSeniority({ batch: items(20, "CEO", i * 20) })),
      );
      expect(answers.flatMap((a) => a.batch)).toHaveLength(1000);
      expect(sim.stats()).toMatchObject({ batches: 50, items: 1000, maxBatchSize: 20 });
      expect(sim.stats().queueDelaySeconds.max).toBeGreaterThan(0); // they queued behind each other
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it("close() is idempotent and ends calls still queued", async () => {
    const { sim, client, clock } = await start();
    const call = client.inferSeniority({ batch: items(10) });
    await untilQueued(clock, 1);
    await Promise.all([sim.close(), sim.close()]);
    await expect(call).rejects.toBeInstanceOf(ClientError);
    expect(clock.pending).toBe(0);
  });
});
