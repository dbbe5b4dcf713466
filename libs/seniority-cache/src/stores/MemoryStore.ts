import type { Store, StoreEntry } from "./Store.js";
import { entriesBatchSize, type EntriesOptions, type StoreEntrySource } from "./StoreEntrySource.js";
import { assertLevel } from "./StoredLevel.js";
import { assertBatchSize, type StoreScan } from "./StoreScan.js";

/** Default bound of a MemoryStore (entries). */
export const DEFAULT_MEMORY_STORE_ENTRIES = 2_000_000;

/**
 * A store in a plain Map, for tests and `--store memory` in development: nothing persists and
 * nothing is shared between processes. Bounded by `maxEntries` (default 2,000,000, roughly
 * 150 MB); past it the oldest-written entry is dropped (FIFO — cheaper than LRU, and the L1 in
 * front of it is the LRU anyway).
 */
export class MemoryStore implements Store, StoreScan, StoreEntrySource {
  readonly kind = "memory";
  readonly keyForm = { kind: "full" } as const;
  // Keys as 16-char latin1 strings (one byte per char): compact, and exact for binary keys.
  private readonly levels = new Map<string, number>();
  private closed = false;

  constructor(private readonly maxEntries = DEFAULT_MEMORY_STORE_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    }
  }

  /** Entries held now. */
  get size(): number {
    return this.levels.size;
  }

  async getMany(keys: readonly Buffer[]): Promise<(number | undefined)[]> {
    this.assertOpen();
    return keys.map((key) => this.levels.get(key.toString("latin1")));
  }

  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    this.assertOpen();
    for (const { level } of entries) assertLevel(level);
    for (const { key, level } of entries) {
      const id = key.toString("latin1");
      if (!this.levels.has(id) && this.levels.size >= this.maxEntries) {
        const oldest = this.levels.keys().next();
        if (!oldest.done) this.levels.delete(oldest.value);
      }
      this.levels.set(id, level);
    }
  }

  async deleteMany(keys: readonly Buffer[]): Promise<number> {
    this.assertOpen();
    let removed = 0;
    for (const key of keys) if (this.levels.delete(key.toString("latin1"))) removed++;
    return removed;
  }

  /** Every key held (the Map's own iterator: entries added or removed meanwhile are fine). */
  async *scanKeys(batchSize: number): AsyncGenerator<Buffer[]> {
    assertBatchSize(batchSize);
    this.assertOpen();
    let batch: Buffer[] = [];
    for (const id of this.levels.keys()) {
      batch.push(Buffer.from(id, "latin1"));
      if (batch.length < batchSize) continue;
      yield batch;
      batch = [];
      if (this.closed) return;
    }
    if (batch.length > 0) yield batch;
  }

  /** StoreEntrySource: every answer, in write order, `batchSize` at a time. */
  async *entries(options: EntriesOptions = {}): AsyncGenerator<StoreEntry[]> {
    const size = entriesBatchSize(options);
    this.assertOpen();
    let batch: StoreEntry[] = [];
    for (const [id, level] of this.levels) {
      batch.push({ key: Buffer.from(id, "latin1"), level });
      if (batch.length < size) continue;
      options.signal?.throwIfAborted();
      yield batch;
      batch = [];
      if (this.closed) return;
    }
    if (batch.length > 0) yield batch;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.levels.clear();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("store is closed");
  }
}
