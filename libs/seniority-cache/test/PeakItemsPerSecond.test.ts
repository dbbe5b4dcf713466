import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { PeakItemsPerSecond } from "../src/core/PeakItemsPerSecond.js";

describe("PeakItemsPerSecond", () => {
  it("is the most items in any 1 s window since the last take, not the average", async () => {
    const clock = new ManualClock();
    const peak = new PeakItemsPerSecond(clock);
    peak.record(1000);
    await clock.advance(500);
    peak.record(1000); // 2000 within 500 ms: a burst a 5-minute rate would hide
    await clock.advance(500); // the first send leaves the window
    peak.record(100);
    expect(peak.takePeak()).toBe(2000);
  });

  it("starts the next period from what is still in the window, then forgets it", async () => {
    const clock = new ManualClock();
    const peak = new PeakItemsPerSecond(clock);
    peak.record(700);
    expect(peak.takePeak()).toBe(700);
    await clock.advance(999);
    expect(peak.takePeak()).toBe(700); // still inside (now - 1 s, now]
    await clock.advance(1);
    expect(peak.takePeak()).toBe(700); // the window held 700 until just now
    expect(peak.takePeak()).toBe(0);
  });

  it("counts a steady 1000 items/s as 1000", async () => {
    const clock = new ManualClock();
    const peak = new PeakItemsPerSecond(clock);
    for (let i = 0; i < 10; i++) {
      peak.record(1000);
      await clock.advance(1000);
    }
    expect(peak.takePeak()).toBe(1000);
  });
});
