import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { MicroBatcher } from "../src/core/MicroBatcher.js";
import { ModelPacer } from "../src/core/ModelPacer.js";
import { names } from "./support/names.js";
import { recorder } from "./support/recorder.js";
import { settle } from "./support/settle.js";

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
