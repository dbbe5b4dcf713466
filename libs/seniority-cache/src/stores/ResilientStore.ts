import { systemClock, type Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";
import { CacheError } from "../core/CacheError.js";
import { BloomGuardedStore } from "./BloomGuardedStore.js";
import type { Store, StoreEntry } from "./Store.js";
import { StoreFullError } from "./StoreFullError.js";
import { WriteBuffer } from "./WriteBuffer.js";
import { isConnectionAware, probeUntil } from "./probeUntil.js";

export type StoreOperation = "get" | "set" | "delete" | "probe";

export interface ResilientStoreOptions {
  store: Store;
  logger?: Logger;
  clock?: Clock;
  /** How often an unreachable store is tried again, ms (default 1,000). */
  probeIntervalMs?: number;
  /** Writes kept for replay while the store is unreachable, entries (default 100,000; oldest dropped). */
  maxBufferedWrites?: number;
  /** Called for every failed store operation (the store-errors metric). */
  onError?: (operation: StoreOperation) => void;
  /** Called with the entries of each write refused by a full store (the refused-writes metric). */
  onRefused?: (entries: number) => void;
  /** Called with each lookup's and write's duration in seconds, success or failure (the store-duration metric). */
  onDuration?: (operation: "get" | "set", seconds: number) => void;
}

/** Key of the probe read: any key will do; a read that returns proves the store answers. */
const PROBE_KEY = Buffer.alloc(16);
/** Entries per setMany when replaying buffered writes. */
const REPLAY_CHUNK = 1000;

/**
 * The store as the cache uses it: never throws on the request path. When the store fails, the cache
 * is "degraded": lookups are misses (L1 and the model still answer), writes wait in a bounded buffer,
 * and a probe every `probeIntervalMs` tries the store again; once it answers, the buffer is replayed
 * and the cache is healthy again. A write the store refuses because it is full (StoreFullError:
 * Redis at maxmemory with noeviction) is dropped and counted (`refused`), not buffered, and the
 * store stays in use: it still answers reads.
 */
export class ResilientStore {
  private readonly store: Store;
  // The store without a read filter in front (BloomGuardedStore): its connection state, the probe's
  // read and exact lookups come from it, so a filter's negative never stands for "the store answered".
  private readonly unfiltered: Store;
  private readonly logger: Logger | undefined;
  private readonly clock: Clock;
  private readonly probeIntervalMs: number;
  private readonly onError: (operation: StoreOperation) => void;
  private readonly onRefused: (entries: number) => void;
  private readonly onDuration: (operation: "get" | "set", seconds: number) => void;
  private readonly buffer: WriteBuffer;
  private readonly pendingWrites = new Set<Promise<boolean>>();
  private readonly stopProbe = new AbortController();
  private probing: Promise<void> | undefined;
  private refusedWrites = 0;
  // true from a refused write until the next accepted one (logs each full episode once)
  private full = false;
  private isDegraded = false;
  private closed: Promise<void> | undefined;

  constructor(options: ResilientStoreOptions) {
    this.store = options.store;
    this.unfiltered = options.store instanceof BloomGuardedStore ? options.store.inner : options.store;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.probeIntervalMs = options.probeIntervalMs ?? 1000;
    this.buffer = new WriteBuffer(options.maxBufferedWrites ?? 100_000);
    this.onError = options.onError ?? (() => {});
    this.onRefused = options.onRefused ?? (() => {});
    this.onDuration = options.onDuration ?? (() => {});
    // A Redis store that could not connect at start says so: begin degraded (and probing).
    if (isConnectionAware(this.unfiltered) && !this.unfiltered.connected) {
      this.fail("get", new Error(`${this.store.kind} not connected at start`));
    }
  }

  get kind(): string {
    return this.store.kind;
  }

  /** True while the store is unreachable (lookups miss, writes are buffered). */
  get degraded(): boolean {
    return this.isDegraded;
  }

  /** Writes waiting for the store to come back. */
  get bufferedWrites(): number {
    return this.buffer.length;
  }

  /** Writes lost because the buffer was full, since start. */
  get dropped(): number {
    return this.buffer.dropped;
  }

  /** Entries the store refused because it was full (StoreFullError), since start; never replayed. */
  get refused(): number {
    return this.refusedWrites;
  }

  /**
   * Levels for `keys` in one store round trip (none if a Bloom filter rules out every key); all
   * misses while degraded or on failure. `exact`: past any filter, so a pair written by another
   * process is found too (admin Lookup answers what the store holds, not what this process knows).
   */
  async lookup(keys: readonly Buffer[], options: { exact?: boolean } = {}): Promise<(number | undefined)[]> {
    if (keys.length === 0 || this.isDegraded) return keys.map(() => undefined);
    const started = this.clock.now();
    try {
      return await (options.exact ? this.unfiltered : this.store).getMany(keys);
    } catch (error) {
      this.fail("get", error);
      return keys.map(() => undefined);
    } finally {
      this.onDuration("get", (this.clock.now() - started) / 1000);
    }
  }

  /**
   * Writes in the background (one setMany); a failed write is buffered and replayed later. The
   * result (never a rejection) says whether the entries reached the store (true) or were buffered.
   */
  write(entries: readonly StoreEntry[]): Promise<boolean> {
    if (entries.length === 0) return Promise.resolve(true);
    if (this.isDegraded || this.closed) {
      this.buffer.push(entries);
      return Promise.resolve(false);
    }
    const started = this.clock.now();
    const write = this.store.setMany(entries).then(
      () => {
        this.onDuration("set", (this.clock.now() - started) / 1000);
        this.full = false;
        return true;
      },
      (error: unknown) => {
        this.onDuration("set", (this.clock.now() - started) / 1000);
        if (error instanceof StoreFullError) return this.refuse(entries.length, error);
        this.fail("set", error);
        this.buffer.push(entries);
        return false;
      },
    );
    this.pendingWrites.add(write);
    void write.finally(() => this.pendingWrites.delete(write));
    return write;
  }

  /** Removes keys from the store; CacheError UNAVAILABLE when it cannot. */
  async remove(keys: readonly Buffer[]): Promise<number> {
    if (keys.length === 0) return 0;
    try {
      return await this.store.deleteMany(keys);
    } catch (error) {
      this.fail("delete", error);
      throw new CacheError("UNAVAILABLE", "the cache store is unreachable; try again later", {
        cause: error,
      });
    }
  }

  /** Waits for background writes started so far. */
  async flush(): Promise<void> {
    while (this.pendingWrites.size > 0) await Promise.all(this.pendingWrites);
  }

  /** Idempotent: stops probing, flushes, replays what it can, closes the store (every step runs). */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.stopProbe.abort();
      await this.probing;
      await this.flush();
      if (this.buffer.length > 0 && !(await this.tryRecover())) {
        this.logger?.warn({ lost: this.buffer.length }, "store unreachable at close; buffered writes lost");
      }
      try {
        await this.store.close();
      } catch (error) {
        this.logger?.warn({ err: error }, "closing the store failed");
      }
    })();
    return this.closed;
  }

  private fail(operation: StoreOperation, error: unknown): void {
    this.onError(operation);
    if (this.isDegraded) return;
    this.isDegraded = true;
    this.logger?.warn({ err: error, operation, store: this.store.kind }, "store failed; serving degraded");
    if (!this.closed) this.probing ??= this.probe().finally(() => (this.probing = undefined));
  }

  /** A write refused by a full store: counted and dropped (see StoreFullError); false. */
  private refuse(entries: number, error: StoreFullError): false {
    this.onError("set");
    this.refusedWrites += entries;
    this.onRefused(entries);
    if (!this.full)
      this.logger?.warn({ err: error.message, store: this.store.kind }, "store full; writes dropped");
    this.full = true;
    return false;
  }

  private async probe(): Promise<void> {
    const store = this.unfiltered;
    await probeUntil({
      clock: this.clock,
      intervalMs: this.probeIntervalMs,
      signal: this.stopProbe.signal,
      ...(isConnectionAware(store) ? { connected: () => store.connected } : {}),
      done: () => !this.isDegraded,
      probe: async () => {
        if (await this.tryRecover()) {
          this.logger?.info({ store: this.store.kind }, "store reachable again; writes replayed");
        }
      },
    });
  }

  /** One probe read, then the buffered writes; true when all went through. */
  private async tryRecover(): Promise<boolean> {
    try {
      await this.unfiltered.getMany([PROBE_KEY]);
      while (this.buffer.length > 0) {
        const chunk = this.buffer.take(REPLAY_CHUNK);
        try {
          await this.store.setMany(chunk);
        } catch (error) {
          if (!(error instanceof StoreFullError)) {
            this.buffer.push(chunk);
            throw error;
          }
          // Reachable but full: the rest would be refused too; drop it and use the store again.
          this.refuse(chunk.length + this.buffer.clear(), error);
        }
      }
      this.isDegraded = false;
      return true;
    } catch {
      this.onError("probe");
      return false;
    }
  }
}
