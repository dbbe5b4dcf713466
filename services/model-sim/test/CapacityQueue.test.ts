import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { CapacityQueue } from "../src/CapacityQueue.js";

describe("CapacityQueue", () => {
  it("serves batches FIFO, each n / capacity seconds after the one ahead of it", async () => {
    const clock = new ManualClock();
    const queue = new CapacityQueue(1000, clock);
    const done: [name: string, doneAt: number, startedAt: number][] = [];
    const serve = (name: string, n: number) =>
      void queue.serve(n).then((slot) => done.push([name, clock.now(), slot.startsAt]));
    serve("a", 500);
    serve("b", 1000);
    serve("c", 250);
    expect(queue.backlogItems()).toBe(1750);

    await clock.advance(499);
    expect(done).toEqual([]);
    await clock.advance(1);
    expect(done).toEqual([["a", 500, 0]]);
    await clock.advance(1250);
    expect(done).toEqual([
      ["a", 500, 0],
      ["b", 1500, 500],
      ["c", 1750, 1500],
    ]);
    expect(queue.backlogItems()).toBe(0);
  });

  it("starts at arrival when idle, and queues behind the last batch otherwise", async () => {
    const clock = new ManualClock(10_000);
    const queue = new CapacityQueue(200, clock);
    expect(queue.reserve(100)).toEqual({ arrivedAt: 10_000, startsAt: 10_000, finishesAt: 10_500 });
    await clock.advance(200);
    expect(queue.reserve(40)).toEqual({ arrivedAt: 10_200, startsAt: 10_500, finishesAt: 10_700 });
    await clock.advance(1000);
    expect(queue.reserve(1)).toEqual({ arrivedAt: 11_200, startsAt: 11_200, finishesAt: 11_205 });
  });

  it("rejects a wait whose signal aborts, keeping the slot reserved", async () => {
    const clock = new ManualClock();
    const queue = new CapacityQueue(1000, clock);
    const controller = new AbortController();
    const waiting = queue.serve(1000, controller.signal);
    controller.abort(new Error("gone"));
    await expect(waiting).rejects.toThrow("gone");
    expect(queue.reserve(1).startsAt).toBe(1000);
  });

  it("refuses a capacity that is not a positive number", () => {
    expect(() => new CapacityQueue(0, new ManualClock())).toThrow(
      "capacity must be a positive number of items a second, got 0",
    );
    expect(() => new CapacityQueue(Number.NaN, new ManualClock())).toThrow(RangeError);
  });
});
