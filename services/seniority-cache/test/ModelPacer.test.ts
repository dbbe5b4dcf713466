import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { ModelPacer } from "../src/ModelPacer.js";

describe("ModelPacer", () => {
  it("lets one batch go at once, then waits while the model is busy with it", async () => {
    const clock = new ManualClock();
    const pacer = new ModelPacer({ itemsPerSecond: 1000, clock, marginMs: 0 });
    expect(pacer.waitMs(1000)).toBe(0);
    pacer.charge(1000);
    expect(pacer.waitMs(1)).toBe(1000);
    await clock.advance(1000);
    expect(pacer.waitMs(1000)).toBe(0);
  });

  it("never lets more than capacity into a sliding second, even when the model is free", async () => {
    const clock = new ManualClock();
    const pacer = new ModelPacer({ itemsPerSecond: 1000, clock, marginMs: 0 });
    pacer.charge(500);
    await clock.advance(500);
    expect(pacer.waitMs(500)).toBe(0); // 500 + 500 fit in (−500, 500]
    pacer.charge(500);
    // Free at 1000, but 1000 more only fit once both earlier sends left the window: at 1500.
    expect(pacer.waitMs(1000)).toBe(1000);
    expect(pacer.waitMs(500)).toBe(500);
  });

  it("adds the margin to the window", () => {
    const clock = new ManualClock();
    const pacer = new ModelPacer({ itemsPerSecond: 1000, clock, marginMs: 25 });
    pacer.charge(1000);
    expect(pacer.waitMs(1000)).toBe(1025);
    expect(pacer.maxItemsPerSend).toBe(1000);
  });

  it("take() waits on the clock and then charges", async () => {
    const clock = new ManualClock();
    const pacer = new ModelPacer({ itemsPerSecond: 100, clock, marginMs: 0 });
    pacer.charge(100);
    let done = false;
    const taking = pacer.take(50).then(() => (done = true));
    await clock.advance(999);
    expect(done).toBe(false);
    await clock.advance(1);
    await taking;
    expect(pacer.waitMs(1)).toBe(500);
  });

  it("does not pace at an infinite rate, and refuses a rate below 1 item/s", () => {
    const pacer = new ModelPacer({ itemsPerSecond: Number.POSITIVE_INFINITY, clock: new ManualClock() });
    pacer.charge(1_000_000);
    expect(pacer.waitMs(1_000_000)).toBe(0);
    expect(() => new ModelPacer({ itemsPerSecond: 0.5, clock: new ManualClock() })).toThrow(
      "itemsPerSecond must be >= 1, got 0.5",
    );
  });

  it("with a lead, lets the next batch go that long before the model is free, still within the window", async () => {
    const clock = new ManualClock();
    // 20,000/s: a 1000-item batch keeps the model busy 50 ms.
    const pacer = new ModelPacer({ itemsPerSecond: 20_000, clock, marginMs: 25, leadMs: 20 });
    expect(pacer.reserve(1000)).toBe(0);
    expect(pacer.waitMs(1000)).toBe(30); // busy until 50, may leave at 30
    await clock.advance(30);
    expect(pacer.reserve(1000)).toBe(0); // queued behind the first: the model is busy until 100
    expect(pacer.waitMs(1000)).toBe(50); // may leave at 80 = 100 − 20
    // Back to back, 20 batches fill the window; the 21st waits for the first to leave it.
    let sent = 2;
    while (sent < 20) {
      await clock.advance(pacer.waitMs(1000));
      expect(pacer.reserve(1000)).toBe(0);
      sent++;
    }
    expect(clock.now()).toBe(30 + 18 * 50); // 930: the model never waited for a batch
    expect(pacer.waitMs(1000)).toBe(1025 - 930);
  });

  it("rejects a lead outside [0, 1000)", () => {
    const clock = new ManualClock();
    expect(() => new ModelPacer({ itemsPerSecond: 10, clock, leadMs: -1 })).toThrow(
      "leadMs must be in [0, 1000), got -1",
    );
    expect(() => new ModelPacer({ itemsPerSecond: 10, clock, leadMs: 1000 })).toThrow(/leadMs/);
  });
});
