import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { CacheError } from "../src/core/CacheError.js";
import { MicroBatcher, type MicroBatcherOptions } from "../src/core/MicroBatcher.js";
import { ModelPacer } from "../src/core/ModelPacer.js";

/** A batcher over strings whose execute records each batch (and the clock time it left). */
function recorder(options: Partial<MicroBatcherOptions<string, string>> & { clock: ManualClock }) {
  const batches: string[][] = [];
  const sentAt: number[] = [];
  const batcher = new MicroBatcher<string, string>({
    execute: async (items) => {
      batches.push(items);
      sentAt.push(options.clock.now());
      return items.map((item) => item.toUpperCase());
    },
    ...options,
  });
  return { batcher, batches, sentAt, sizes: () => batches.map((b) => b.length) };
}

const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

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

describe("MicroBatcher pacing (ModelPacer at the model's capacity)", () => {
  /**
   * Replays sends through a FIFO server of `capacity` items/s (what model-sim is) and returns the
   * longest time any batch waited in its queue, and the most items served in any second.
   */
  function fifoModel(sentAt: number[], sizes: number[], capacity: number) {
    let busyUntil = 0;
    let maxQueueMs = 0;
    const servedPerSecond = new Map<number, number>();
    sentAt.forEach((at, i) => {
      const start = Math.max(at, busyUntil);
      maxQueueMs = Math.max(maxQueueMs, start - at);
      for (let k = 0; k < sizes[i]!; k++) {
        const second = Math.floor((start + (k * 1000) / capacity) / 1000);
        servedPerSecond.set(second, (servedPerSecond.get(second) ?? 0) + 1);
      }
      busyUntil = start + (sizes[i]! * 1000) / capacity;
    });
    return { maxQueueMs, peakPerSecond: Math.max(...servedPerSecond.values()) };
  }

  /** Most items sent in any sliding window (t − 1 s, t] (model-sim's peakItemsPerSecond). */
  function peakSentPerSecond(sentAt: number[], sizes: number[]): number {
    return Math.max(
      ...sentAt.map((t) => sentAt.reduce((sum, s, j) => (s > t - 1000 && s <= t ? sum + sizes[j]! : sum), 0)),
    );
  }

  it("under backlog sends full batches exactly one second apart, never above capacity", async () => {
    const clock = new ManualClock();
    const pacer = new ModelPacer({ itemsPerSecond: 1000, clock, marginMs: 0 });
    const { batcher, sentAt, sizes } = recorder({ clock, pacer, maxInFlight: 4 });
    const tickets = batcher.submit(names("k", 4500), "bulk");
    await settle();
    for (let t = 0; t < 6000; t += 1) await clock.advance(1);
    await Promise.all(tickets.map((ticket) => ticket.promise));
    expect(sizes()).toEqual([1000, 1000, 1000, 1000, 500]);
    expect(sentAt).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(peakSentPerSecond(sentAt, sizes())).toBe(1000);
    expect(fifoModel(sentAt, sizes(), 1000)).toEqual({ maxQueueMs: 0, peakPerSecond: 1000 });
    await batcher.close();
  });

  it("with work ramping up, the model never queues and never gets more than capacity a second", async () => {
    const clock = new ManualClock();
    const pacer = new ModelPacer({ itemsPerSecond: 1000, clock, marginMs: 0 });
    const { batcher, sentAt, sizes } = recorder({ clock, pacer, maxInFlight: 2 });
    const tickets = [];
    // ~1,670 items/s for 2 s (above capacity), in requests of 2..8 items.
    for (let t = 0; t < 2000; t += 1) {
      if (t % 3 === 0) tickets.push(...batcher.submit(names(`t${t}-`, ((t / 3) % 4) * 2 + 2), "bulk"));
      await clock.advance(1);
    }
    for (let t = 0; t < 10_000 && (batcher.queued > 0 || batcher.inFlightBatches > 0); t += 1) {
      await clock.advance(1);
    }
    await Promise.all(tickets.map((ticket) => ticket.promise));
    const total = sizes().reduce((a, b) => a + b, 0);
    expect(total).toBe(tickets.length);
    expect(Math.max(...sizes())).toBe(1000);
    const model = fifoModel(sentAt, sizes(), 1000);
    expect(model.maxQueueMs).toBe(0);
    expect(model.peakPerSecond).toBeLessThanOrEqual(1000);
    expect(peakSentPerSecond(sentAt, sizes())).toBeLessThanOrEqual(1000);
    // The exact schedule: batches grow with the backlog, then go out full, one a second.
    expect(sizes()).toEqual([6, 14, 22, 38, 62, 100, 170, 280, 1000, 1000, 640]);
    expect(sentAt).toEqual([5, 11, 25, 47, 85, 147, 247, 417, 1417, 2417, 3417]);
    await batcher.close();
  });

  it("a pause between the pacing decision and the send never puts more than capacity into the model's second", async () => {
    const clock = new ManualClock();
    const pacer = new ModelPacer({ itemsPerSecond: 1000, clock, marginMs: 0, leadMs: 25 });
    // A FIFO model at 1000 items/s that counts batches when they ARRIVE; the first batch is held up
    // 300 ms after the batcher decided to send it (a GC pause, a starved process, the network).
    const arrivals: { at: number; items: number }[] = [];
    let busyUntil = 0;
    const batcher = new MicroBatcher<string, string>({
      clock,
      pacer,
      maxInFlight: 2,
      execute: async (items) => {
        if (arrivals.length === 0) await clock.sleep(300);
        const at = clock.now();
        arrivals.push({ at, items: items.length });
        busyUntil = Math.max(at, busyUntil) + items.length;
        await clock.sleep(busyUntil - at);
        return items;
      },
    });
    const tickets = batcher.submit(names("k", 3000), "bulk");
    await settle();
    for (let t = 0; t < 5000; t++) await clock.advance(1);
    await Promise.all(tickets.map((ticket) => ticket.promise));
    const at = arrivals.map((a) => a.at);
    expect(arrivals.map((a) => a.items)).toEqual([1000, 1000, 1000]);
    expect(peakSentPerSecond(at, [1000, 1000, 1000])).toBe(1000);
    // The second leaves once the first is answered (1300): it reached the model by 300.
    expect(at).toEqual([300, 1300, 2300]);
    await batcher.close();
  });
});
