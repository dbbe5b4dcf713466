import type { Clock } from "@seniority/clock";

/** When one batch waits and is served, in the clock's milliseconds. */
export interface Slot {
  arrivedAt: number;
  /** When the model starts on the batch: the previous batch's end, or the arrival when idle. */
  startsAt: number;
  /** `startsAt` + n / capacity seconds. */
  finishesAt: number;
}

/**
 * The model's single FIFO worker: a batch of n items takes n / capacity seconds, starting when the
 * batches ahead of it are done, so overload shows up as queueing latency. A slot is reserved on
 * arrival, which is what makes the order FIFO; it is never given back (a caller that gives up
 * still cost the model its work, as with the real one).
 */
export class CapacityQueue {
  // guarded by: only moves forward; the end of the last reserved slot (ms, clock scale)
  private busyUntil = Number.NEGATIVE_INFINITY;

  /** @param capacity items per second (> 0). */
  constructor(
    private readonly capacity: number,
    private readonly clock: Clock,
  ) {
    if (!(capacity > 0) || !Number.isFinite(capacity)) {
      throw new RangeError(`capacity must be a positive number of items a second, got ${capacity}`);
    }
  }

  /** Reserves the next slot for a batch of `items`, arriving now. */
  reserve(items: number): Slot {
    const arrivedAt = this.clock.now();
    const startsAt = Math.max(arrivedAt, this.busyUntil);
    const finishesAt = startsAt + (items * 1000) / this.capacity;
    this.busyUntil = finishesAt;
    return { arrivedAt, startsAt, finishesAt };
  }

  /** Reserves a slot and resolves when the batch is done (rejects if `signal` aborts first). */
  async serve(items: number, signal?: AbortSignal): Promise<Slot> {
    const slot = this.reserve(items);
    await this.clock.sleep(slot.finishesAt - this.clock.now(), signal);
    return slot;
  }

  /** Items reserved but not yet served, at the current time (for a gauge). */
  backlogItems(): number {
    return Math.max(0, ((this.busyUntil - this.clock.now()) * this.capacity) / 1000);
  }
}
