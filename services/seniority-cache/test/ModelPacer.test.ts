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
});
