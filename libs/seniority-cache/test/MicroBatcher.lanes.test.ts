import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { CacheError } from "../src/core/CacheError.js";
import { names } from "./support/names.js";
import { recorder } from "./support/recorder.js";
import { settle } from "./support/settle.js";

// The two lanes (interactive before bulk), promotion, enqueue's sinks and each lane's bound.
describe("MicroBatcher", () => {
  it("sends interactive items first, in a batch of their own (not behind a full bulk batch)", async () => {
    const clock = new ManualClock();
    const { batcher, batches } = recorder({ clock, maxBatch: 4, maxInFlight: 1 });
    batcher.submit(["b1", "b2", "b3", "b4", "b5", "b6"], "bulk");
    batcher.submit(["i1", "i2"], "interactive");
    await settle();
    expect(batches[0]).toEqual(["i1", "i2"]);
    await settle();
    await clock.advance(5);
    expect(batches).toEqual([
      ["i1", "i2"],
      ["b1", "b2", "b3", "b4"],
      ["b5", "b6"],
    ]);
    await batcher.close();
  });

  it("moves a promoted bulk item ahead of the bulk backlog, once", async () => {
    const clock = new ManualClock();
    const { batcher, batches } = recorder({ clock, maxBatch: 2, maxInFlight: 1 });
    const tickets = batcher.submit(["a", "b", "c", "d", "e"], "bulk");
    tickets[3]!.promote();
    tickets[3]!.promote();
    expect([batcher.queuedIn("interactive"), batcher.queuedIn("bulk")]).toEqual([1, 4]);
    await settle();
    await clock.advance(5);
    await settle();
    await clock.advance(5);
    expect(batches).toEqual([["d"], ["a", "b"], ["c", "e"]]);
    await batcher.close();
  });

  it("enqueue: answers go to each item's sink (a throwing sink does not stop the others); promote works", async () => {
    const clock = new ManualClock();
    const { batcher, batches } = recorder({ clock, maxBatch: 2, maxInFlight: 1 });
    const got: string[] = [];
    const sinks = ["a", "b", "c"].map((name) => ({
      resolve: (value: string) => {
        got.push(`${name}=${value}`);
        if (name === "b") throw new Error("a caller's hook failed");
      },
      reject: (error: unknown) => got.push(`${name}!${String(error)}`),
    }));
    const slots = batcher.enqueue(["b", "a", "c"], "bulk", [sinks[1]!, sinks[0]!, sinks[2]!]);
    batcher.promote(slots[2]!);
    batcher.promote(slots[2]!);
    expect([batcher.queuedIn("interactive"), batcher.queuedIn("bulk")]).toEqual([1, 2]);
    expect(() => batcher.enqueue(["x"], "bulk", [])).toThrow("1 items but 0 sinks");
    await settle();
    await clock.advance(5);
    await settle();
    expect(batches).toEqual([["c"], ["b", "a"]]);
    expect(got).toEqual(["c=C", "b=B", "a=A"]);
    await batcher.close();
  });

  it("refuses a submit that would pass its lane's bound, all or nothing; bulk never fills the interactive lane", async () => {
    const clock = new ManualClock();
    const { batcher } = recorder({ clock, maxQueued: 100, maxQueuedInteractive: 50, maxBatch: 1000 });
    batcher.submit(names("a", 60), "bulk");
    const refusal = (items: number, lane: "bulk" | "interactive"): unknown => {
      try {
        batcher.submit(names(lane, items), lane);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const bulk = refusal(41, "bulk");
    expect(bulk).toBeInstanceOf(CacheError);
    expect(bulk).toMatchObject({
      code: "RESOURCE_EXHAUSTED",
      message:
        "too much bulk work queued for the model: 60 items wait and this request adds 41; " +
        "the limit is 100 (--max-queued). Retry later.",
    });
    expect(batcher.queued).toBe(60);
    expect(batcher.submit(names("c", 40), "bulk")).toHaveLength(40); // bulk is full now
    expect(batcher.submit(names("i", 50), "interactive")).toHaveLength(50);
    expect(refusal(1, "interactive")).toMatchObject({
      code: "RESOURCE_EXHAUSTED",
      message:
        "too much interactive work queued for the model: 50 items wait and this request adds 1; " +
        "the limit is 50 (--max-queued-interactive). Retry later.",
    });
    expect([batcher.queuedIn("interactive"), batcher.queuedIn("bulk")]).toEqual([50, 100]);
    await clock.advance(5);
    await batcher.close();
  });
});
