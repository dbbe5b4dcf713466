import { open, type Database, type RootDatabase } from "lmdb";
import type { Store, StoreEntry } from "./Store.js";
import { entriesBatchSize, type EntriesOptions, type StoreEntrySource } from "./StoreEntrySource.js";
import { assertLevel, decodeLevel } from "./StoredLevel.js";
import { assertBatchSize, type StoreScan } from "./StoreScan.js";

/** Where `--store lmdb` keeps its files when no path is given (relative to the working directory). */
export const DEFAULT_LMDB_PATH = "./.seniority/cache";

export interface LmdbStoreOptions {
  /** From cacheNamespace(), e.g. "v1:std:m:k2": the name of the sub-database holding this namespace. */
  namespace: string;
}

/**
 * An embedded, persistent store (LMDB via the `lmdb` package): a directory at `path` (created if
 * missing) with one named sub-database per namespace; key = the 16 raw key bytes, value = one byte
 * (the level).
 *
 * Reads: the pages are prefetched off the main thread, then read from the memory map.
 * Writes: all entries of a call in ONE asynchronous transaction, resolved once committed (visible
 * to readers, and in the OS page cache, so it survives a crash of this process). lmdb's default
 * `overlappingSync` flushes to disk just after the commit, so an OS crash or power loss can lose the
 * last few commits — acceptable for a cache (the pairs are asked again), and much faster than a
 * synchronous fsync per request. The database is never corrupted either way.
 *
 * Several stores on one path (e.g. two namespaces) share one environment, which lmdb-js closes
 * when the last of them closes; several processes may share a path too (LMDB locks), at the cost
 * of write-lock contention.
 */
export class LmdbStore implements Store, StoreScan, StoreEntrySource {
  readonly kind = "lmdb";
  readonly keyForm = { kind: "full" } as const;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly root: RootDatabase,
    private readonly db: Database<Buffer, Buffer>,
  ) {}

  static open(path: string, options: LmdbStoreOptions): LmdbStore {
    if (options.namespace.length === 0) throw new Error("namespace must not be empty");
    // maxDbs bounds the namespaces one file can hold (model versions × modes); old ones can be dropped.
    const root = open({ path, maxDbs: 256 });
    const db = root.openDB<Buffer, Buffer>({
      name: options.namespace,
      keyEncoding: "binary",
      encoding: "binary",
    });
    return new LmdbStore(root, db);
  }

  async getMany(keys: readonly Buffer[]): Promise<(number | undefined)[]> {
    this.assertOpen();
    if (keys.length === 0) return [];
    // What lmdb's own getMany does (page faults absorbed off the main thread, then sync reads from
    // the memory map), minus a Buffer copy per value: the one byte is read before the next get.
    await this.db.prefetch(Array.from(keys));
    return keys.map((key) => decodeLevel(this.db.getBinaryFast(key)?.[0]));
  }

  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    this.assertOpen();
    if (entries.length === 0) return;
    for (const { level } of entries) assertLevel(level);
    await this.db.transaction(() => {
      for (const { key, level } of entries) this.db.putSync(key, Buffer.of(level));
    });
  }

  async deleteMany(keys: readonly Buffer[]): Promise<number> {
    this.assertOpen();
    if (keys.length === 0) return 0;
    return this.db.transaction(() => keys.reduce((n, key) => n + (this.db.removeSync(key) ? 1 : 0), 0));
  }

  /**
   * Every key of the namespace in key order, one short read (getKeys from just after the last key
   * seen, `batchSize` at most) per batch: no read transaction stays open between batches.
   */
  async *scanKeys(batchSize: number): AsyncGenerator<Buffer[]> {
    assertBatchSize(batchSize);
    let after: Buffer | undefined;
    for (;;) {
      this.assertOpen();
      const batch: Buffer[] = [];
      // `start` is inclusive: ask for one more and drop the key already yielded.
      for (const key of this.db.getKeys(
        after ? { start: after, limit: batchSize + 1 } : { limit: batchSize },
      )) {
        if (after && key.equals(after)) continue;
        if (batch.length < batchSize) batch.push(Buffer.from(key));
      }
      if (batch.length === 0) return;
      after = batch[batch.length - 1];
      yield batch;
      if (batch.length < batchSize) return;
    }
  }

  /**
   * StoreEntrySource: every answer in key order, one short getRange (`batchSize` at most, from just
   * after the last key seen) per batch; a value that is not a level is skipped, as getMany reads it.
   */
  async *entries(options: EntriesOptions = {}): AsyncGenerator<StoreEntry[]> {
    const size = entriesBatchSize(options);
    let after: Buffer | undefined;
    for (;;) {
      this.assertOpen();
      options.signal?.throwIfAborted();
      const batch: StoreEntry[] = [];
      let seen = 0;
      const range = after ? { start: after, exclusiveStart: true, limit: size } : { limit: size };
      for (const { key, value } of this.db.getRange(range)) {
        seen++;
        after = Buffer.from(key);
        const level = decodeLevel(value[0]);
        if (level !== undefined) batch.push({ key: after, level });
      }
      if (batch.length > 0) yield batch;
      if (seen < size) return;
    }
  }

  /** Idempotent; waits for committed writes to be flushed, then closes the environment. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.db.flushed;
      } finally {
        await this.root.close();
      }
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new Error("store is closed");
  }
}
