import type { Store } from "./Store.js";

/**
 * A store whose keys can be listed, a bounded batch at a time (the Bloom filter's rebuild at
 * start; an export could use it too). A scan sees every key present for its whole duration at
 * least once; keys written or deleted while it runs may or may not be seen. It holds no lock and
 * no long transaction: the store keeps serving meanwhile. Break out of the loop to stop early.
 *
 * What a yielded key is: the 16-byte pair key where the store keeps it whole (memory, LMDB, Redis
 * keys layout), or, Redis compact layout, the COMPACT_FIELD_BYTES (8) bytes of it that layout keeps
 * as the hash field (pair key bytes 4..12; the rest is the bucket, or not kept at all).
 */
export interface StoreScan {
  /** Batches of at most `batchSize` keys (≥ 1); never an empty batch. */
  scanKeys(batchSize: number): AsyncIterable<Buffer[]>;
}

/** True for stores that implement StoreScan. */
export function canScan(store: Store): store is Store & StoreScan {
  return typeof (store as Partial<StoreScan>).scanKeys === "function";
}

/** Checks a scan's batch size (a positive integer). */
export function assertBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
}
