import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { INTERACTIVE_RECENT_MS } from "../src/core/BatchSizes.js";
import { MicroBatcher } from "../src/core/MicroBatcher.js";
import { ModelPacer } from "../src/core/ModelPacer.js";
import { fifoModel } from "./support/fifoModel.js";
import { names } from "./support/names.js";
import { recorder } from "./support/recorder.js";
import { settle } from "./support/settle.js";

// Interactive misses under a full bulk backlog at the model's real capacity (1,000 items/s): bulk
// batches are sliced while interactive callers are about, and fill the room they leave at once.
describe("MicroBatcher, interactive work beside a bulk backlog", () => {
  /** The cache's own pacer at 1,000 items/s with its defaults (createPacer: margin 10, lead 25). */
  const pacerOn = (clock: ManualClock, marginMs = 10, leadMs = 25) =>
    new ModelPacer({ itemsPerSecond: 1000, clock, marginMs, leadMs });

  /** Advances the clock until every queued item is answered (at most 60 s), then closes. */
  async function drain(clock: ManualClock, batcher: MicroBatcher<string, string>): Promise<void> {
    for (let t = 0; t < 60_000 && (batcher.queued > 0 || batcher.inFlightBatches > 0); t++) {
      await clock.advance(1);
    }
    expect(batcher.queued + batcher.inFlightBatches).toBe(0);
    await batcher.close();
  }

  it("an interactive miss waits behind at most one bulk slice (500 ms), the model stays busy, never above capacity", async () => {
    const clock = new ManualClock();
    const model = fifoModel(clock, 1000, 2);
    const batcher = new MicroBatcher<string, string>({
      clock,
      pacer: pacerOn(clock),
      execute: model.execute,
    });
    const latencies: number[] = [];
    const ask = (t: number): void => {
      const tickets = batcher.submit(names(`i${t}-`, 10), "interactive");
      void Promise.all(tickets.map((ticket) => ticket.promise)).then(() => latencies.push(clock.now() - t));
    };
    ask(0);
    const backlog = batcher.submit(names("b", 21_000), "bulk");
    // 10 new pairs every 200 ms for 20 s, while 21 s of bulk work wait (the backlog outlasts them).
    for (let t = 1; t < 20_000; t++) {
      await clock.advance(1);
      if (t % 200 === 0) ask(t);
    }
    expect(batcher.queuedIn("bulk")).toBeGreaterThan(1000);
    await drain(clock, batcher);
    await Promise.all(backlog.map((ticket) => ticket.promise));
    expect(latencies).toHaveLength(100);
    // A slice (500 ms) for room, the window's 10 ms margin, its own 10 ms, the network: 529 here.
    // Unsliced, it is a full batch: ~1,005 ms, and the model ~91% busy.
    expect(Math.max(...latencies)).toBeLessThanOrEqual(550);
    expect(model.peakPerSecond()).toBeLessThanOrEqual(1000);
    expect(model.busyShare(0, 20_000)).toBeGreaterThanOrEqual(0.96);
    const bulk = model.arrivals.map((a) => a.items).filter((n) => n > 100);
    expect(Math.max(...bulk)).toBe(500);
    expect(Math.min(...bulk.slice(0, -1))).toBeGreaterThanOrEqual(450); // ≥ 90% of a slice
  });

  it("slices bulk batches while interactive work is about, and sends them full again once it stops", async () => {
    const clock = new ManualClock();
    const { batcher, sentAt, sizes } = recorder({ clock, pacer: pacerOn(clock, 0, 0) });
    batcher.submit(["i"], "interactive");
    batcher.submit(names("b", 4001), "bulk");
    await settle();
    for (let t = 0; t < 5000; t++) await clock.advance(1);
    // Answered at once: each batch arrived when sent; rule 1 keeps them n ms apart, the window
    // lets 1000 items into any second (the 499 fills the room beside "i"). The last slice leaves
    // at 1501; at 2001 the 2 s are over and the next batch waits until 1000 fit.
    expect(sizes()).toEqual([1, 500, 499, 500, 500, 1000, 1000, 2]);
    expect(sentAt).toEqual([0, 1, 501, 1001, 1501, 2501, 3501, 4501]);
    expect(INTERACTIVE_RECENT_MS).toBe(2000);
    await drain(clock, batcher);
  });

  it("a promoted bulk item counts as interactive work: the bulk batches after it are sliced", async () => {
    const clock = new ManualClock();
    const { batcher, sizes } = recorder({ clock, pacer: pacerOn(clock, 0, 0), bulkSliceMs: 250 });
    const tickets = batcher.submit(names("b", 2000), "bulk");
    await settle();
    expect(sizes()).toEqual([1000]);
    tickets[1500]!.promote();
    for (let t = 0; t < 1600; t++) await clock.advance(1);
    expect(sizes()).toEqual([1000, 1, 250, 250, 250]);
    await drain(clock, batcher);
  });

  it("a bulk batch fills the room an interactive batch left as soon as it fits, not at the next arrival", async () => {
    const clock = new ManualClock();
    // bulkSliceMs 1000: no slicing at 1,000 items/s, only the room filling is under test.
    const { batcher, sentAt, sizes } = recorder({ clock, pacer: pacerOn(clock, 0, 0), bulkSliceMs: 1000 });
    batcher.submit(names("b", 1000), "bulk");
    await settle();
    for (let t = 0; t < 500; t++) await clock.advance(1);
    batcher.submit(names("b", 3000), "bulk");
    batcher.submit(["i1"], "interactive"); // waits for the model: rule 1 until 1000
    for (let t = 500; t < 1500; t++) await clock.advance(1);
    batcher.submit(["i2"], "interactive"); // at 2000 it takes the window's last item of room
    for (let t = 1500; t < 3500; t++) await clock.advance(1);
    // At 1001 (rule 1 over) and at 2001 (the 999 sent at 1001 leave the window) 999 fit, 1000 not
    // for another second; nothing arrives and no answer comes then to wake the loop: it must look
    // again by itself (else [1000, 1, 1, 1000]: a second lost each time).
    expect(sizes().slice(0, 5)).toEqual([1000, 1, 999, 1, 999]);
    expect(sentAt.slice(0, 5)).toEqual([0, 1000, 1001, 2000, 2001]);
    await drain(clock, batcher);
  });

  it("refuses a bulk slice that is not a positive integer of ms, naming the option", () => {
    expect(() => new MicroBatcher({ execute: async () => [], bulkSliceMs: 0 })).toThrow(
      "bulkSliceMs must be a positive integer, got 0",
    );
  });
});
