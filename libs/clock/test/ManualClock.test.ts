import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/ManualClock.js";
import { systemClock } from "../src/systemClock.js";

describe("ManualClock", () => {
  it("wakes sleepers in time order, each at its own time", async () => {
    const clock = new ManualClock(100);
    const woke: [string, number][] = [];
    void clock.sleep(30).then(() => woke.push(["b", clock.now()]));
    void clock.sleep(10).then(() => woke.push(["a", clock.now()]));
    void clock.sleep(50).then(() => woke.push(["c", clock.now()]));
    await clock.advance(40);
    expect(woke).toEqual([
      ["a", 110],
      ["b", 130],
    ]);
    expect(clock.now()).toBe(140);
    expect(clock.pending).toBe(1);
    await clock.advance(10);
    expect(woke.at(-1)).toEqual(["c", 150]);
  });

  it("rejects a sleep when its signal aborts and forgets the sleeper", async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    controller.abort(new Error("stop"));
    await expect(sleeping).rejects.toThrow("stop");
    expect(clock.pending).toBe(0);
  });
});

describe("systemClock", () => {
  it("rejects at once for an already aborted signal", async () => {
    await expect(systemClock.sleep(10_000, AbortSignal.abort(new Error("gone")))).rejects.toThrow("gone");
  });
});
