import type { Clock } from "@seniority/clock";
import type { Lane } from "@seniority/seniority-model";
import type { Pacer } from "./Pacer.js";

/**
 * How long interactive traffic counts as present after its last item, ms: callers asking once a
 * second or more often keep bulk batches sliced; after that, bulk batches are full again.
 */
export const INTERACTIVE_RECENT_MS = 2000;

/**
 * Default bulk slice, ms of the model's time. An interactive miss then waits about one slice: the
 * window has room again once the oldest slice leaves it, which is when the model is done with the
 * slice it serves (at 1,000 items/s: bulk batches of 500 while interactive callers are about).
 */
export const DEFAULT_BULK_SLICE_MS = 500;

export interface BatchSizesOptions {
  /** Items per batch, at most (already checked against the pacer). */
  maxBatch: number;
  /**
   * While interactive traffic is present, a bulk batch holds at most what the model serves in this
   * many ms (the pacer's capacity per second × bulkSliceMs / 1000).
   */
  bulkSliceMs: number;
  pacer: Pacer | undefined;
  clock: Clock;
}

/**
 * The micro-batcher's batch sizes. The model answers a batch only when it is done with all of it,
 * so an interactive miss that reaches it behind a bulk batch of n waits up to n / capacity; and a
 * pacer that lets no more than capacity into any second has room for it only once an earlier
 * batch leaves the window, again up to n / capacity after it was sent. Slicing bulk batches to
 * bulkSliceMs of the model's time while interactive callers are about bounds the two together by
 * about bulkSliceMs. The window still fills: the model idles only for the window's margin and an
 * answer's way back once per slice (~2% at 500 ms in MicroBatcher.interactive.test.ts).
 */
export class BatchSizes {
  private readonly maxBatch: number;
  private readonly bulkSliceMs: number;
  private readonly pacer: Pacer | undefined;
  private readonly clock: Clock;
  // guarded by: the clock time of the latest interactive item queued or promoted
  private lastInteractiveAt = Number.NEGATIVE_INFINITY;

  constructor(options: BatchSizesOptions) {
    ({
      maxBatch: this.maxBatch,
      bulkSliceMs: this.bulkSliceMs,
      pacer: this.pacer,
      clock: this.clock,
    } = options);
  }

  /** An interactive item was queued (or promoted) now. */
  interactiveSeen(): void {
    this.lastInteractiveAt = this.clock.now();
  }

  /** The largest batch of `lane` now: a full batch, a bulk slice while interactive work is about. */
  limit(lane: Lane): number {
    const pacer = this.pacer;
    const full = Math.min(this.maxBatch, pacer?.maxItemsPerSend ?? this.maxBatch);
    if (lane === "interactive" || !pacer || !this.interactivePresent()) return full;
    const slice = Math.floor((pacer.maxItemsPerSend * this.bulkSliceMs) / 1000);
    return Math.max(1, Math.min(full, slice));
  }

  /**
   * The next batch of `lane` with `queued` items waiting: up to limit(), or the room small batches
   * left in the pacer's window when that is at least 90% of it (else it waits: batches stay full).
   */
  sizeFor(lane: Lane, queued: number): number {
    const size = Math.min(queued, this.limit(lane));
    const room = this.pacer?.room?.() ?? size;
    return room < size && room >= this.smallest(size) ? room : size;
  }

  /**
   * How long to wait before asking again for a batch of `size` the pacer held back for `paceMs`:
   * sooner, when the smallest batch sizeFor() would cut instead can leave sooner (the room grows
   * as earlier batches leave the window, with no other wake-up to say so).
   */
  retryMs(size: number, paceMs: number): number {
    const smallest = this.smallest(size);
    if (smallest >= size || !this.pacer?.room || !this.pacer.waitMs) return paceMs;
    return Math.max(1, Math.min(paceMs, this.pacer.waitMs(smallest)));
  }

  /** A batch that does not fit may shrink to the room left when that is at least 90% of it. */
  private smallest(size: number): number {
    return Math.ceil((size * 9) / 10);
  }

  private interactivePresent(): boolean {
    return this.clock.now() - this.lastInteractiveAt < INTERACTIVE_RECENT_MS;
  }
}
