import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { ModelPacer } from "../src/core/ModelPacer.js";

describe("ModelPacer", () => {
  it("lets one batch go at once, then waits while the model may still be serving it", async () => {
    const clock = new ManualClock();
    const pacer = new ModelPacer({ itemsPerSecond: 1000, clock, marginMs: 0 });
    expect(pacer.waitMs(1000)).toBe(0);
    pacer.charge(1000);
    expect(pacer.unansweredItems).toBe(1000);
    expect(pacer.waitMs(1)).toBe(1000); // a guess: until the model should be free
    await clock.advance(1000);
    expect(pacer.waitMs(1)).toBe(1); // unanswered: it may still be on its way to the model
    pacer.answered(1000); // served in 1 s, so it arrived by 0
    expect(pacer.unansweredItems).toBe(0);
    expect(pacer.waitMs(1000)).toBe(0);
  });

  it("counts a batch at the latest moment it can have reached the model, not when it left", async () => {
    const clock = new ManualClock();
    const pacer = new ModelPacer({ itemsPerSecond: 1000, clock, marginMs: 0 });
    expect(pacer.reserve(1000)).toBe(0); // decided at 0, but (a GC pause) it reaches the model at 300
    await clock.advance(1300);
    pacer.answered(1000); // answered at 1300: it arrived by 300
    // Sent at 1000 it would share the model's second (300, 1300] with the first: wait until 1300.
    expect(pacer.waitMs(1000)).toBe(0);
    // Answered faster than capacity allows (a model without a queue): still no earlier than sent.
    expect(pacer.reserve(10)).toBe(0);
    await clock.advance(2);
    pacer.answered(10);
    expect(pacer.waitMs(990)).toBe(8); // rule 1: the model is busy with those 10 until 1310
    await clock.advance(8);
    expect(pacer.waitMs(990)).toBe(0);
    expect(pacer.waitMs(991)).toBe(1300 + 1000 - 1310);
  });

  it("never lets more than capacity into a sliding second, even when the model is free", async () => {
    const clock = new ManualClock();
    const pacer = new ModelPacer({ itemsPerSecond: 1000, clock, marginMs: 0 });
    pacer.charge(500);
    await clock.advance(500);
    pacer.answered(500); // arrived by 0
    expect(pacer.waitMs(500)).toBe(0); // 500 + 500 fit in (−500, 500]
    pacer.charge(500);
    await clock.advance(500);
    pacer.answered(500); // arrived by 500
    // Free at 1000, but 1000 more only fit once both earlier sends left the window: at 1500.
    expect(pacer.waitMs(1000)).toBe(500);
    expect(pacer.waitMs(500)).toBe(0);
  });

  it("adds the margin to the window", async () => {
    const clock = new ManualClock();
    const pacer = new ModelPacer({ itemsPerSecond: 1000, clock, marginMs: 25 });
    pacer.charge(1000);
    await clock.advance(1000);
    pacer.answered(1000);
    expect(pacer.waitMs(1000)).toBe(25);
    expect(pacer.maxItemsPerSend).toBe(1000);
  });

  it("take() waits on the clock and then charges", async () => {
    const clock = new ManualClock();
    const pacer = new ModelPacer({ itemsPerSecond: 100, clock, marginMs: 0 });
    pacer.charge(100);
    await clock.advance(1000);
    pacer.answered(100); // arrived by 0
    pacer.charge(50); // at 1000, answered at 1500: arrived by 1000
    await clock.advance(500);
    pacer.answered(50);
    let done = false;
    const taking = pacer.take(100).then(() => (done = true));
    await clock.advance(499);
    expect(done).toBe(false);
    await clock.advance(1);
    await taking;
    expect(pacer.unansweredItems).toBe(100);
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
    // 20,000/s: a 1000-item batch keeps the model busy 50 ms; each is answered when served.
    const pacer = new ModelPacer({ itemsPerSecond: 20_000, clock, marginMs: 25, leadMs: 20 });
    expect(pacer.reserve(1000)).toBe(0);
    expect(pacer.waitMs(1000)).toBe(30); // busy until 50, may leave at 30
    await clock.advance(30);
    expect(pacer.reserve(1000)).toBe(0); // queued behind the first: the model is busy until 100
    expect(pacer.waitMs(1000)).toBe(50); // may leave at 80 = 100 − 20
    // Back to back, 20 batches fill the window; the 21st waits for the first to leave it.
    let sent = 2;
    let answered = 0;
    while (sent < 20) {
      await clock.advance(pacer.waitMs(1000));
      if (clock.now() >= 50 * (answered + 1)) {
        pacer.answered(1000);
        answered++;
      }
      expect(pacer.reserve(1000)).toBe(0);
      sent++;
    }
    expect(clock.now()).toBe(30 + 18 * 50); // 930: the model never waited for a batch
    // The first was answered at 80 (served 0..50): it arrived by 30 and leaves the window at 1055.
    expect(pacer.waitMs(1000)).toBe(1055 - 930);
  });

  it("rejects a lead outside [0, 1000)", () => {
    const clock = new ManualClock();
    expect(() => new ModelPacer({ itemsPerSecond: 10, clock, leadMs: -1 })).toThrow(
      "leadMs must be in [0, 1000), got -1",
    );
    expect(() => new ModelPacer({ itemsPerSecond: 10, clock, leadMs: 1000 })).toThrow(/leadMs/);
  });
});
