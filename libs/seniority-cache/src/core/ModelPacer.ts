import type { Clock } from "@seniority/clock";
import type { Pacer } from "./Pacer.js";

export interface ModelPacerOptions {
  /** The model's capacity, items per second (>= 1; Infinity disables pacing). */
  itemsPerSecond: number;
  /**
   * How fast the model serves, items per second (default itemsPerSecond; more when this pacer
   * allows only a share of the model): an answer to n items comes at least n / this after they
   * reached the model.
   */
  servesItemsPerSecond?: number;
  clock: Clock;
  /**
   * Added to the 1-second window, ms (default 25): slack for the model's own timers and for the
   * two clocks (ours, the model's) measuring one second slightly differently.
   */
  marginMs?: number;
  /**
   * A batch may leave this long before the model is expected to finish the previous one, ms
   * (default 0), so a FIFO model has the next batch queued and is never idle under a backlog
   * (only while the window has room for it: rule 2 is unaffected).
   */
  leadMs?: number;
}

/** One batch charged to the window. */
interface Send {
  /** When it left (charge()). */
  readonly sentAt: number;
  readonly items: number;
  /**
   * The latest moment the model can have received it: undefined while unanswered (any moment up
   * to now), then answered() − items / capacity (a model needs that long to serve it).
   */
  arrivedBy: number | undefined;
}

/**
 * Keeps the model within its capacity C items/s as the model counts it — by ARRIVAL time, which
 * may be later than our send by any delay (a GC pause or a starved process between the decision
 * and the socket, the network, the model's own event loop). Two rules, checked before a batch of
 * n leaves:
 * 1. the model is free, or nearly: a batch of n keeps it busy n / C seconds (GCRA), and the next
 *    may leave `leadMs` before that ends;
 * 2. at most C items in any window of one second (+ margin), where each earlier batch counts at
 *    the latest moment it can have reached the model: an unanswered batch may still be on its
 *    way (it counts as arriving now), an answered one arrived at least n / C before its answer.
 * Rule 2 bounds what the model sees whatever the delays, because every batch is counted no
 * earlier than it can have arrived and a batch checked now arrives now or later.
 * A plain token bucket with a burst of one batch satisfies neither: 1000 items at t=0 and the 500
 * tokens refilled by t=0.5 s put 1,500 items into one second and queue the second batch.
 */
export class ModelPacer implements Pacer {
  /** The largest batch that fits in one window. */
  readonly maxItemsPerSend: number;
  private readonly msPerItem: number;
  private readonly msPerServedItem: number;
  private readonly windowMs: number;
  private readonly leadMs: number;
  private readonly clock: Clock;
  // guarded by: batches charged and not yet out of the window (unanswered ones never leave it);
  // at most a few dozen (C / batch size per window), so plain arrays
  private sends: Send[] = [];
  private busyUntil = Number.NEGATIVE_INFINITY;

  constructor(options: ModelPacerOptions) {
    const rate = options.itemsPerSecond;
    if (!(rate >= 1)) throw new Error(`itemsPerSecond must be >= 1, got ${rate}`);
    this.clock = options.clock;
    this.maxItemsPerSend = Math.floor(rate);
    this.msPerItem = 1000 / rate;
    this.msPerServedItem = 1000 / Math.max(rate, options.servesItemsPerSecond ?? rate);
    this.windowMs = 1000 + (options.marginMs ?? 25);
    this.leadMs = options.leadMs ?? 0;
    if (!(this.leadMs >= 0 && this.leadMs < 1000)) {
      throw new Error(`leadMs must be in [0, 1000), got ${this.leadMs}`);
    }
  }

  /** Items charged and not yet answered. */
  get unansweredItems(): number {
    let items = 0;
    for (const send of this.sends) if (send.arrivedBy === undefined) items += send.items;
    return items;
  }

  /**
   * Milliseconds until a batch of `items` may leave (0: now). While unanswered batches alone
   * leave no room, the wait is a guess (until the model should be free): ask again when one is
   * answered.
   */
  waitMs(items: number): number {
    if (this.msPerItem === 0) return 0;
    const now = this.clock.now();
    this.expire(now);
    const gcraWait = Math.max(0, this.busyUntil - this.leadMs - now);
    let unanswered = 0;
    const answered: number[] = [];
    let answeredItems = 0;
    for (const send of this.sends) {
      if (send.arrivedBy === undefined) unanswered += send.items;
      else {
        answered.push(send.arrivedBy);
        answeredItems += send.items;
      }
    }
    let excess = unanswered + answeredItems + items - this.maxItemsPerSend;
    if (excess <= 0) return gcraWait;
    // A batch larger than the window (a retry that cannot be resized) still leaves once nothing
    // else is in flight; the answered ones must leave the window first (below).
    if (unanswered > 0 && unanswered + items > this.maxItemsPerSend) {
      return Math.max(gcraWait, this.busyUntil - now, 1);
    }
    // Answered batches leave the window in arrivedBy order; wait for enough of them.
    const byArrival = this.sends
      .filter((send) => send.arrivedBy !== undefined)
      .sort((a, b) => a.arrivedBy! - b.arrivedBy!);
    let windowWait = 0;
    for (const send of byArrival) {
      excess -= send.items;
      windowWait = send.arrivedBy! + this.windowMs - now;
      if (excess <= 0) break;
    }
    return Math.max(gcraWait, windowWait);
  }

  /** Items a batch may have to leave now: 0 while rule 1 holds sends back, else the window's room. */
  room(): number {
    if (this.msPerItem === 0) return this.maxItemsPerSend;
    const now = this.clock.now();
    this.expire(now);
    if (this.busyUntil - this.leadMs - now > 0) return 0;
    let items = 0;
    for (const send of this.sends) items += send.items;
    return Math.max(0, this.maxItemsPerSend - items);
  }

  /** Records a batch of `items` leaving now (call when waitMs(items) is 0); answered() ends it. */
  charge(items: number): void {
    if (this.msPerItem === 0) return;
    const now = this.clock.now();
    this.busyUntil = Math.max(now, this.busyUntil) + items * this.msPerItem;
    this.sends.push({ sentAt: now, items, arrivedBy: undefined });
  }

  /**
   * A batch of `items` charged earlier is over now (answered, failed or given up): the model
   * received it, if at all, by now − items / C. Matches the oldest unanswered batch of that size.
   */
  answered(items: number): void {
    if (this.msPerItem === 0) return;
    const send =
      this.sends.find((s) => s.arrivedBy === undefined && s.items === items) ??
      this.sends.find((s) => s.arrivedBy === undefined);
    if (!send) return;
    const now = this.clock.now();
    send.arrivedBy = Math.min(now, Math.max(send.sentAt, now - send.items * this.msPerServedItem));
  }

  /**
   * Takes over every batch `other` still counts, as it counts them (sent at, answered or not,
   * arrived by), and replays them at this pacer's rate for rule 1: a pacer made for another share
   * of the model then starts from the same history (unanswered batches still count as arriving now,
   * and answered() ends them here too).
   */
  adopt(other: ModelPacer): void {
    if (this.msPerItem === 0) return;
    this.sends = other.sends.map((send) => ({ ...send }));
    for (const send of this.sends) {
      this.busyUntil = Math.max(send.sentAt, this.busyUntil) + send.items * this.msPerItem;
    }
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
    const horizon = now - this.windowMs;
    if (this.sends.some((s) => s.arrivedBy !== undefined && s.arrivedBy <= horizon)) {
      this.sends = this.sends.filter((s) => s.arrivedBy === undefined || s.arrivedBy > horizon);
    }
  }
}
