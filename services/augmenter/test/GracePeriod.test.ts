import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { GracePeriod } from "../src/run/GracePeriod.js";

describe("GracePeriod", () => {
  it("aborts its signal graceMs on the clock after the stop, telling onStop once", async () => {
    const clock = new ManualClock();
    const stop = new AbortController();
    const told: number[] = [];
    const grace = new GracePeriod(stop.signal, {
      clock,
      graceMs: 5_000,
      maxListeners: 12,
      onStop: (ms) => told.push(ms),
    });
    grace.start();
    await clock.advance(10_000);
    expect(grace.signal.aborted).toBe(false);
    stop.abort();
    expect(told).toEqual([5_000]);
    await clock.advance(4_999);
    expect(grace.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(grace.signal.aborted).toBe(true);
    expect((grace.signal.reason as Error).message).toBe("grace period over");
    grace.close();
  });

  it("counts a stop that came before start(), with the default of 30 s", async () => {
    const clock = new ManualClock();
    const grace = new GracePeriod(AbortSignal.abort(), { clock, maxListeners: 12 });
    grace.start();
    await clock.advance(29_999);
    expect(grace.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(grace.signal.aborted).toBe(true);
  });

  it("close() ends the grace sleep and the watch: the signal never aborts; a second close() is harmless", async () => {
    const clock = new ManualClock();
    const stop = new AbortController();
    const told: number[] = [];
    const grace = new GracePeriod(stop.signal, {
      clock,
      graceMs: 1_000,
      maxListeners: 12,
      onStop: (ms) => told.push(ms),
    });
    grace.start();
    stop.abort();
    expect(clock.pending).toBe(1);
    grace.close();
    grace.close();
    await Promise.resolve();
    expect(clock.pending).toBe(0);
    await clock.advance(2_000);
    expect(grace.signal.aborted).toBe(false);

    const later = new AbortController();
    const closed = new GracePeriod(later.signal, { clock, maxListeners: 12, onStop: (ms) => told.push(ms) });
    closed.start();
    closed.close();
    later.abort();
    expect(told).toEqual([1_000]);
  });
});
