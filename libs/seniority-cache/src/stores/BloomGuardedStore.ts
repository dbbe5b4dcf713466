import { systemClock, type Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";
import type { BloomMetrics } from "./BloomMetrics.js";
import { DEFAULT_BLOOM_FP_RATE, PairBloom } from "./PairBloom.js";
import { BloomRebuildTimeout, rebuildBloom } from "./rebuildBloom.js";
import type { Store, StoreEntry } from "./Store.js";
import { canScan } from "./StoreScan.js";

/** How long the rebuild at start may take before the filter is given up (`--bloom-rebuild-timeout`), ms. */
export const DEFAULT_BLOOM_REBUILD_TIMEOUT_MS = 10 * 60_000;

export interface BloomGuardOptions {
  /** Pairs the filter is sized for (`--expected-pairs`); past it the false positive rate rises. */
  expectedPairs: number;
  /** False positive rate at `expectedPairs` (`--bloom-fp-rate`; default 0.01). */
  falsePositiveRate?: number;
  /** Default DEFAULT_BLOOM_REBUILD_TIMEOUT_MS (10 min). */
  rebuildTimeoutMs?: number;
  /** Keys per scan batch of the rebuild (default 10,000). */
  rebuildBatch?: number;
  /** A rebuild that failed (the store unreachable) is tried again after this, ms (default 5,000), within the timeout. */
  rebuildRetryMs?: number;
  /** Progress lines of the rebuild at most this often, ms (default 5,000). */
  progressEveryMs?: number;
  metrics?: BloomMetrics;
  logger?: Logger;
  clock?: Clock;
}

/** Where the filter is: rebuilding (bypassed), ready (negatives skip the store), or given up (bypassed). */
export type BloomState = "rebuilding" | "ready" | "off";

/**
 * A Bloom filter in front of a store (`--bloom`): a lookup asks the store only for keys the filter
 * may hold, so a request of pairs never seen costs no store round trip. The invariant: every key
 * in the store that this process wrote or scanned is in the filter, so a negative is a pair the
 * store does not hold — it goes on to the miss path (claims, the model) exactly like a store miss,
 * and a positive is always read from the store: no level ever comes from the filter.
 *
 * - setMany files its keys BEFORE writing them: a concurrent reader sees a positive (reads the
 *   store, at worst a miss) from the moment the write can land, never a negative for a stored pair.
 *   A failed write leaves false positives only.
 * - At start the filter is rebuilt from the store (StoreScan); until that is done, or if it fails
 *   or passes `rebuildTimeoutMs`, every lookup goes to the store, as without the filter.
 * - deleteMany (admin Invalidate) leaves the keys in the filter: false positives, one read each.
 * - Writes by another process (replicas on one Redis, processes sharing an LMDB path, an import)
 *   after the rebuild are not in this filter: their pairs look new here. With Redis the miss path's
 *   claim script reads the answer before claiming, so they are answered from Redis without a
 *   model call; with a shared LMDB path they are inferred again (see docs/bloom-filter.md).
 *
 * Otherwise a thin forwarder: deletes and close go to `inner` unchanged.
 */
export class BloomGuardedStore implements Store {
  readonly kind: string;
  private readonly bloom: PairBloom;
  private readonly metrics: BloomMetrics | undefined;
  private readonly stopRebuild = new AbortController();
  private readonly rebuilt: Promise<BloomState>;
  private current: BloomState = "rebuilding";
  private closing: Promise<void> | undefined;

  /** Starts the rebuild at once (in the background); `inner` is closed by close(). */
  constructor(
    readonly inner: Store,
    options: BloomGuardOptions,
  ) {
    this.kind = `${inner.kind}+bloom`;
    this.bloom = new PairBloom(options.expectedPairs, options.falsePositiveRate ?? DEFAULT_BLOOM_FP_RATE);
    this.metrics = options.metrics;
    this.metrics?.bytes.set(this.bloom.sizing.bytes);
    this.metrics?.ready.set(0);
    this.rebuilt = this.rebuild(options);
  }

  /** Where the filter is now. */
  get state(): BloomState {
    return this.current;
  }

  /** Bits, hashes and bytes of the filter. */
  get sizing(): PairBloom["sizing"] {
    return this.bloom.sizing;
  }

  /** Resolves once the rebuild ended: "ready", or "off" (failed, timed out or closed). */
  whenRebuilt(): Promise<BloomState> {
    return this.rebuilt;
  }

  async getMany(keys: readonly Buffer[]): Promise<(number | undefined)[]> {
    if (this.current !== "ready") {
      this.metrics?.checks.inc({ result: "bypassed" }, keys.length);
      return this.inner.getMany(keys);
    }
    const asked: number[] = [];
    for (let i = 0; i < keys.length; i++) if (this.bloom.mayHold(keys[i]!)) asked.push(i);
    this.count(asked.length, keys.length - asked.length);
    if (asked.length === keys.length) return this.inner.getMany(keys);
    const levels = new Array<number | undefined>(keys.length).fill(undefined);
    if (asked.length === 0) {
      if (keys.length > 0) this.metrics?.skippedReads.inc();
      return levels;
    }
    const found = await this.inner.getMany(asked.map((i) => keys[i]!));
    asked.forEach((position, j) => (levels[position] = found[j]));
    return levels;
  }

  /** Files the keys (synchronously, before the write is sent: see the class comment), then writes. */
  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    for (const { key } of entries) this.bloom.add(key);
    return this.inner.setMany(entries);
  }

  deleteMany(keys: readonly Buffer[]): Promise<number> {
    return this.inner.deleteMany(keys);
  }

  /** Idempotent: stops a rebuild still running, then closes `inner`. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopRebuild.abort(new Error("the store is closing"));
      await this.rebuilt;
      await this.inner.close();
    })();
    return this.closing;
  }

  private count(positive: number, negative: number): void {
    if (positive > 0) this.metrics?.checks.inc({ result: "positive" }, positive);
    if (negative > 0) this.metrics?.checks.inc({ result: "negative" }, negative);
  }

  /** Never rejects: any failure leaves the filter off (every read goes to the store). */
  private async rebuild(options: BloomGuardOptions): Promise<BloomState> {
    const { logger, metrics } = options;
    const inner = this.inner;
    if (!canScan(inner)) {
      logger?.warn({ store: inner.kind }, "this store cannot list its keys; the bloom filter stays off");
      return (this.current = "off");
    }
    const clock = options.clock ?? systemClock;
    const { bytes, hashes } = this.bloom.sizing;
    logger?.info({ store: inner.kind, bytes, hashes }, "bloom filter rebuilding from the store");
    const started = clock.now();
    const timeoutMs = options.rebuildTimeoutMs ?? DEFAULT_BLOOM_REBUILD_TIMEOUT_MS;
    const retryMs = options.rebuildRetryMs ?? 5000;
    const signal = this.stopRebuild.signal;
    for (;;) {
      try {
        // Keys a failed attempt added stay: they are in the store (true positives).
        const keys = await rebuildBloom(inner, (key) => this.bloom.add(key), {
          batchSize: options.rebuildBatch ?? 10_000,
          timeoutMs: timeoutMs - (clock.now() - started),
          progressEveryMs: options.progressEveryMs ?? 5000,
          clock,
          signal,
          ...(logger ? { logger } : {}),
          onProgress: (read, seconds) => {
            metrics?.rebuildKeys.set(read);
            metrics?.rebuildSeconds.set(seconds);
          },
        });
        return this.ready(options, keys, (clock.now() - started) / 1000);
      } catch (error) {
        metrics?.rebuildSeconds.set((clock.now() - started) / 1000);
        if (signal.aborted) return (this.current = "off");
        const late = timeoutMs - (clock.now() - started) <= retryMs;
        if (error instanceof BloomRebuildTimeout || late) {
          const why = error instanceof BloomRebuildTimeout ? "timed out" : "failed";
          logger?.warn(
            { err: error },
            `bloom filter rebuild ${why}; the filter stays off (every read goes to the store)`,
          );
          return (this.current = "off");
        }
        logger?.warn({ err: error, retryInMs: retryMs }, "bloom filter rebuild failed; retrying");
        try {
          await clock.sleep(retryMs, signal);
        } catch {
          return (this.current = "off"); // closed
        }
      }
    }
  }

  private ready(options: BloomGuardOptions, keys: number, seconds: number): BloomState {
    const { logger, metrics } = options;
    metrics?.rebuildKeys.set(keys);
    metrics?.rebuildSeconds.set(seconds);
    if (this.stopRebuild.signal.aborted) return (this.current = "off");
    metrics?.ready.set(1);
    logger?.info({ keys, seconds, fill: this.bloom.fill() }, "bloom filter ready: negatives skip the store");
    if (keys > options.expectedPairs) {
      logger?.warn(
        { keys, expectedPairs: options.expectedPairs },
        "the store holds more pairs than --expected-pairs: the filter's false positive rate is above --bloom-fp-rate",
      );
    }
    return (this.current = "ready");
  }
}
