import type { StoreEntry } from "./Store.js";

/** Entries a batch of entries() holds at most, unless told otherwise. */
export const DEFAULT_ENTRIES_BATCH = 1000;

/**
 * How complete the keys are that a store's entries() yields:
 * - `full`: the 16-byte pair keys (memory, LMDB, Redis keys layout): any store can take them.
 * - `compact`: the Redis compact layout keeps only a pair's bucket and its 8-byte field, so the
 *   pair key cannot be rebuilt. entries() then yields stand-in keys (compactEntryKey) that land in
 *   the same bucket and field of a compact layout with the same bucket count — and nowhere else
 *   mean anything: importers must refuse them for any other target (see keyFormsMatch).
 */
export type EntryKeyForm = { kind: "full" } | { kind: "compact"; buckets: number };

export interface EntriesOptions {
  /** Entries a batch holds at most (default DEFAULT_ENTRIES_BATCH). */
  batchSize?: number;
  signal?: AbortSignal;
}

/**
 * A store whose answers can be listed, in bounded batches (export, migration). Kept apart from
 * Store: the request path never lists. Redis may yield a pair twice when it rehashes mid-SCAN.
 */
export interface StoreEntrySource {
  readonly keyForm: EntryKeyForm;
  entries(options?: EntriesOptions): AsyncGenerator<StoreEntry[]>;
}

/** True for a store that implements StoreEntrySource. */
export function isEntrySource(store: object): store is StoreEntrySource {
  return "entries" in store && "keyForm" in store;
}

/** Whether entries of key form `from` may be written into a store of key form `to`. */
export function keyFormsMatch(from: EntryKeyForm, to: EntryKeyForm): boolean {
  return from.kind === "full" || (to.kind === "compact" && to.buckets === from.buckets);
}

/** The batch size of `options`, checked. */
export function entriesBatchSize(options: EntriesOptions = {}): number {
  const size = options.batchSize ?? DEFAULT_ENTRIES_BATCH;
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${size}`);
  return size;
}
