import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { MicroBatcher } from "../src/core/MicroBatcher.js";
import { settle } from "./support/settle.js";

// A failed batch fails only its own items (waiters or sinks), never its neighbours'.
describe("MicroBatcher", () => {
  it("enqueue: a failed batch rejects only its own sinks", async () => {
    const clock = new ManualClock();
    let calls = 0;
    const batcher = new MicroBatcher<string, string>({
      execute: async (items) => {
        if (calls++ === 0) throw new Error("model down");
        return items.map((item) => item.toUpperCase());
      },
      maxBatch: 2,
      maxInFlight: 1,
      clock,
    });
    const got: string[] = [];
    const sinkOf = (name: string) => ({
      resolve: (value: string) => got.push(`${name}=${value}`),
      reject: (error: unknown) => got.push(`${name}!${(error as Error).message}`),
    });
    batcher.enqueue(["a", "b", "c"], "bulk", ["a", "b", "c"].map(sinkOf));
    await settle();
    await clock.advance(5);
    await settle();
    expect(got).toEqual(["a!model down", "b!model down", "c=C"]);
    await batcher.close();
  });

  it("rejects only the waiters of a failed batch", async () => {
    const clock = new ManualClock();
    const batcher = new MicroBatcher<string, string>({
      clock,
      maxBatch: 2,
      execute: async (items) => {
        if (items.includes("bad")) throw new Error("model down");
        return items;
      },
    });
    const [a, bad, c, d] = batcher.submit(["a", "bad", "c", "d"], "bulk");
    await expect(a!.promise).rejects.toThrow("model down");
    await expect(bad!.promise).rejects.toThrow("model down");
    expect(await c!.promise).toBe("c");
    expect(await d!.promise).toBe("d");
    await batcher.close();
  });
});
