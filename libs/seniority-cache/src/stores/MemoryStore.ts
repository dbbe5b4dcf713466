import type { Store, StoreEntry } from "./Store.js";
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
export class MemoryStore implements Store, StoreScan {
  readonly kind = "memory";
  // Keys as 16-char latin1 strings (one byte per char): compact, and exact for binary keys.
  private readonly entries = new Map<string, number>();
  private closed = false;

  constructor(private readonly maxEntries = DEFAULT_MEMORY_STORE_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    }
  }

  /** Entries held now. */
  get size(): number {
    return this.entries.size;
  }

  async getMany(keys: readonly Buffer[]): Promise<(number | undefined)[]> {
    this.assertOpen();
    return keys.map((key) => this.entries.get(key.toString("latin1")));
  }

  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    this.assertOpen();
    for (const { level } of entries) assertLevel(level);
    for (const { key, level } of entries) {
      const id = key.toString("latin1");
      if (!this.entries.has(id) && this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
      this.entries.set(id, level);
    }
  }

  async deleteMany(keys: readonly Buffer[]): Promise<number> {
    this.assertOpen();
    let removed = 0;
    for (const key of keys) if (this.entries.delete(key.toString("latin1"))) removed++;
    return removed;
  }

  /** Every key held (the Map's own iterator: entries added or removed meanwhile are fine). */
  async *scanKeys(batchSize: number): AsyncGenerator<Buffer[]> {
    assertBatchSize(batchSize);
    this.assertOpen();
    let batch: Buffer[] = [];
    for (const id of this.entries.keys()) {
      batch.push(Buffer.from(id, "latin1"));
      if (batch.length < batchSize) continue;
      yield batch;
      batch = [];
      if (this.closed) return;
    }
    if (batch.length > 0) yield batch;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.entries.clear();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("store is closed");
  }
}
