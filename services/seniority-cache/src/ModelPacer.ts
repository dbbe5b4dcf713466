import type { Clock } from "@seniority/clock";
import { FifoQueue } from "./FifoQueue.js";
import type { Pacer } from "./Pacer.js";

export interface ModelPacerOptions {
  /** The model's capacity, items per second (>= 1; Infinity disables pacing). */
  itemsPerSecond: number;
  clock: Clock;
  /**
   * Added to the 1-second window, ms (default 25), so jitter between our clock and the moment the
   * model sees a batch cannot put two windows' worth of items into one second.
   */
  marginMs?: number;
  /**
   * A batch may leave this long before the model is expected to finish the previous one, ms
   * (default 0). It covers the batch's trip to the model and our own timer and event-loop delays,
   * so a FIFO model always has the next batch queued and is never idle under a backlog; the model
   * queues at most this long. Rule 2 (the window) is unaffected, so the peak stays within capacity.
   */
  leadMs?: number;
}

/**
 * Keeps the model within its capacity C items/s by two rules, both checked before a batch of n
 * leaves:
 * 1. the model is free, or nearly: a batch of n keeps it busy n / C seconds (GCRA), and the next
 *    may leave `leadMs` before that ends, so a FIFO model queues at most leadMs of work and is
 *    never idle while a batch is on its way;
 * 2. at most C items in any sliding window of one second (+ margin) — what model-sim reports as its
 *    peak.
 * A plain token bucket with a burst of one batch satisfies neither: 1000 items at t=0 and the 500
 * tokens refilled by t=0.5 s put 1,500 items into one second and queue the second batch.
 */
export class ModelPacer implements Pacer {
  /** The largest batch that fits in one window. */
  readonly maxItemsPerSend: number;
  private readonly msPerItem: number;
  private readonly windowMs: number;
  private readonly leadMs: number;
  private readonly clock: Clock;
  // guarded by: sends inside the window, oldest first; windowItems is their sum
  private readonly window = new FifoQueue<{ at: number; items: number }>();
  private windowItems = 0;
  private busyUntil = Number.NEGATIVE_INFINITY;

  constructor(options: ModelPacerOptions) {
    const rate = options.itemsPerSecond;
    if (!(rate >= 1)) throw new Error(`itemsPerSecond must be >= 1, got ${rate}`);
    this.clock = options.clock;
    this.maxItemsPerSend = Math.floor(rate);
    this.msPerItem = 1000 / rate;
    this.windowMs = 1000 + (options.marginMs ?? 25);
    this.leadMs = options.leadMs ?? 0;
    if (!(this.leadMs >= 0 && this.leadMs < 1000)) {
      throw new Error(`leadMs must be in [0, 1000), got ${this.leadMs}`);
    }
  }

  /** Milliseconds until a batch of `items` may leave (0: now). */
  waitMs(items: number): number {
    if (this.msPerItem === 0) return 0;
    const now = this.clock.now();
    this.expire(now);
    let windowWait = 0;
    let fits = this.windowItems + items;
    // Sends leave the window oldest first; wait for enough of them.
    for (let i = 0; fits > this.maxItemsPerSend; i++) {
      const oldest = this.window.at(i);
      if (!oldest) break;
      fits -= oldest.items;
      windowWait = oldest.at + this.windowMs - now;
    }
    return Math.max(0, this.busyUntil - this.leadMs - now, windowWait);
  }

  /** Records a batch of `items` leaving now (call when waitMs(items) is 0). */
  charge(items: number): void {
    if (this.msPerItem === 0) return;
    const now = this.clock.now();
    this.busyUntil = Math.max(now, this.busyUntil) + items * this.msPerItem;
    this.window.push({ at: now, items });
    this.windowItems += items;
  }

  /** 0 and charged when a batch of `items` may leave now; else the ms to wait (nothing charged). */
  reserve(items: number): number {
    const wait = this.waitMs(items);
    if (wait === 0) this.charge(items);
    return wait;
  }

  /** Waits until a batch of `items` may leave, then charges it (for a retried batch). */
  async take(items: number, signal?: AbortSignal): Promise<void> {
    for (let wait = this.waitMs(items); wait > 0; wait = this.waitMs(items)) {
      await this.clock.sleep(wait, signal);
    }
    this.charge(items);
  }

  private expire(now: number): void {
    for (
      let oldest = this.window.peek();
      oldest && oldest.at <= now - this.windowMs;
      oldest = this.window.peek()
    ) {
      this.windowItems -= oldest.items;
      this.window.shift();
    }
  }
}
