import type { Clock } from "@seniority/clock";
import type { Lane } from "@seniority/seniority-model";
import { DEFAULT_BULK_SLICE_MS } from "./BatchSizes.js";
import { nonNegative, positiveInteger } from "./checkOption.js";
import type { Pacer } from "./Pacer.js";

/** What execute() gets with a batch: the one door to the pacer for its resends. */
export interface BatchContext {
  /**
   * Call before resending `items` of the batch: ends the failed attempt's charge and waits until
   * the pacer lets the resend leave (paced like a first send). Resolves at once without a pacer.
   */
  beforeRetry(items: number, signal?: AbortSignal): Promise<void>;
}

export interface MicroBatcherOptions<I, O> {
  /** Sends one batch; resolves to one result per item, in order. A rejection fails only this batch. */
  execute: (items: I[], context: BatchContext) => Promise<O[]>;
  /** Items per batch (default 1000). */
  maxBatch?: number;
  /** How long the oldest queued item may wait for a batch to fill, in ms (default 5). */
  maxDelayMs?: number;
  /**
   * While interactive traffic is present (an interactive item in the last INTERACTIVE_RECENT_MS),
   * a bulk batch holds at most what the model serves in this many ms, by the pacer's capacity
   * (default 500; ≥ 1000 never slices at maxBatch ≤ capacity): an interactive miss then waits
   * behind at most that much bulk work. No effect without a pacer.
   */
  bulkSliceMs?: number;
  /** Batches sent and not yet answered, at most, per lane (default 2). */
  maxInFlight?: number;
  /** Bulk items waiting for a batch, at most; past it submit() refuses (default 1,000,000). */
  maxQueued?: number;
  /** Interactive items waiting for a batch, at most (default: maxQueued / 10, at least maxBatch). */
  maxQueuedInteractive?: number;
  /** Pacing shared with anything else that sends to the model (default: none). */
  pacer?: Pacer;
  clock?: Clock;
}

/** The batcher's bounds, defaulted and checked (each error names its option). */
export interface BatcherLimits {
  maxBatch: number;
  maxDelayMs: number;
  bulkSliceMs: number;
  maxInFlight: number;
  maxQueued: Record<Lane, number>;
}

export function batcherLimits(
  options: Omit<MicroBatcherOptions<unknown, unknown>, "execute">,
): BatcherLimits {
  // A batch larger than the model serves in a second would break the pacing; never build one.
  const asked = positiveInteger("maxBatch", options.maxBatch ?? 1000);
  const maxBatch = Math.min(asked, options.pacer?.maxItemsPerSend ?? asked);
  const bulk = positiveInteger("maxQueued", options.maxQueued ?? 1_000_000);
  return {
    maxBatch,
    maxDelayMs: nonNegative("maxDelayMs", options.maxDelayMs ?? 5),
    bulkSliceMs: positiveInteger("bulkSliceMs", options.bulkSliceMs ?? DEFAULT_BULK_SLICE_MS),
    maxInFlight: positiveInteger("maxInFlight", options.maxInFlight ?? 2),
    maxQueued: {
      bulk,
      interactive: positiveInteger(
        "maxQueuedInteractive",
        options.maxQueuedInteractive ?? Math.max(Math.ceil(bulk / 10), maxBatch),
      ),
    },
  };
}
