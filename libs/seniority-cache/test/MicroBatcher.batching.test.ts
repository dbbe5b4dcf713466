import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { MicroBatcher } from "../src/core/MicroBatcher.js";
import { names } from "./support/names.js";
import { recorder } from "./support/recorder.js";
import { settle } from "./support/settle.js";

// How the batcher cuts and sends batches: size, delay, in-flight bound, close.
describe("MicroBatcher", () => {
  it("sends 2,500 items queued at once as [1000, 1000, 500], the last after maxDelayMs", async () => {
    const clock = new ManualClock();
    const { batcher, sizes } = recorder({ clock, maxInFlight: 4 });
    const tickets = batcher.submit(names("k", 2500), "bulk");
    await settle();
    expect(sizes()).toEqual([1000, 1000]);
    await clock.advance(4);
    expect(sizes()).toEqual([1000, 1000]);
    await clock.advance(1);
    expect(sizes()).toEqual([1000, 1000, 500]);
    expect(await tickets[2499]!.promise).toBe("K2499");
    await batcher.close();
  });

  it("waits maxDelayMs for a partial batch, measured from its oldest item", async () => {
    const clock = new ManualClock();
    const { batcher, batches } = recorder({ clock, maxDelayMs: 10 });
    batcher.submit(["a"], "bulk");
    await clock.advance(6);
    batcher.submit(["b", "c"], "bulk");
    await clock.advance(3);
    expect(batches).toEqual([]);
    await clock.advance(1);
    expect(batches).toEqual([["a", "b", "c"]]);
    await batcher.close();
  });

  it("keeps at most maxInFlight batches out and sends the next when one is answered", async () => {
    const clock = new ManualClock();
    const answers: (() => void)[] = [];
    const batches: number[] = [];
    const batcher = new MicroBatcher<number, number>({
      clock,
      maxBatch: 10,
      maxInFlight: 2,
      execute: (items) => {
        batches.push(items.length);
        return new Promise((resolve) => answers.push(() => resolve(items)));
      },
    });
    batcher.submit(
      Array.from({ length: 35 }, (_, i) => i),
      "bulk",
    );
    await settle();
    expect(batches).toEqual([10, 10]);
    expect(batcher.inFlightBatches).toBe(2);
    answers.shift()!();
    await settle();
    expect(batches).toEqual([10, 10, 10]);
    answers.shift()!();
    await settle();
    expect(batches).toEqual([10, 10, 10]); // 5 left: not due until maxDelayMs
    await clock.advance(5);
    expect(batches).toEqual([10, 10, 10, 5]);
    for (const answer of answers.splice(0)) answer();
    await batcher.close();
  });

  it("close() sends what is queued without waiting for maxDelayMs, then refuses new work", async () => {
    const clock = new ManualClock();
    const { batcher, batches } = recorder({ clock, maxDelayMs: 1000 });
    const [ticket] = batcher.submit(["x"], "bulk");
    await batcher.close();
    await batcher.close();
    expect(batches).toEqual([["x"]]);
    expect(await ticket!.promise).toBe("X");
    expect(() => batcher.submit(["y"], "bulk")).toThrow("the cache is shutting down");
  });
});
