import { systemClock, type Clock } from "@seniority/clock";
import { FilePool, DEFAULT_POOL_CONCURRENCY } from "./FilePool.js";
import { FileRunner, type FileDefaults } from "./FileRunner.js";
import { GracePeriod } from "./GracePeriod.js";
import { NoLeases } from "../leases/NoLeases.js";
import { PairLevelCache } from "../file/PairLevelCache.js";
import { ParsePool } from "../parse/ParsePool.js";
import { PendingPass } from "./PendingPass.js";
import { PendingScanner } from "./PendingScanner.js";
import { DEFAULT_RARE_MIN_COUNT, RarePairPolicy } from "../rare/RarePairPolicy.js";
import { DEFAULT_RARE_WINDOW } from "../rare/RareWindow.js";
import type { RunAugmenterOptions } from "./RunAugmenterOptions.js";
import { RunCheckpoint } from "./RunCheckpoint.js";
import { RunObserver } from "./RunObserver.js";
import type { RunSummaryJson } from "./RunSummary.js";

/** Pause between passes in "watch". Default 30 s. */
export const DEFAULT_INTERVAL_MS = 30_000;
/** Entries of the local exact-pair LRU shared by all files. */
export const DEFAULT_LOCAL_CACHE_ENTRIES = 100_000;
/** Listeners beyond one per file in progress that the hard stop may carry (AbortSignal.any). */
const SPARE_LISTENERS = 10;

/**
 * The augmenter's loop: scan for pending files, process them `concurrency` at a time (oldest
 * first), record outcomes; once, or polling. A failed file is logged and left pending (never
 * skipped): the next scan retries it. With leases, a file is processed only under its lease; an
 * unreachable lease store fails the file, and a lease lost mid-file aborts it (nothing visible).
 * Resolves with the run's summary after a stop. The listing goes a page at a time (bounded memory
 * for any backlog), and the watermark is persisted as a checkpoint beside the outputs, read at
 * start: a run looks only at the files after it.
 *
 * The parts: PendingPass (one pass, page by page), FilePool (files `concurrency` at a time, busy
 * ones re-checked), FileRunner (one file under its lease), GracePeriod (the stop), RunObserver
 * (summary, metrics, logs). One run() per instance: it closes what it opened.
 */
export class Augmenter {
  private readonly clock: Clock;
  private readonly observer: RunObserver;
  private readonly parser: ParsePool | undefined;
  private readonly grace: GracePeriod;
  private readonly pool: FilePool;
  private readonly pass: PendingPass;
  /** The rare-pair queue: with `rarePairs` (defer) and in "backfill" mode. */
  private readonly rare: RarePairPolicy | undefined;
  private readonly backfillObserver: RunObserver;
  private readonly backfillPool: FilePool;
  private started = false;

  constructor(private readonly options: RunAugmenterOptions) {
    const { signal, logger } = options;
    const clock = (this.clock = options.clock ?? systemClock);
    const now = options.now ?? Date.now;
    const observer = (this.observer = new RunObserver({
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(logger ? { logger } : {}),
      now,
      countLeases: options.leases !== undefined,
    }));
    const threads = options.parseThreads ?? 0;
    this.parser = threads > 0 ? new ParsePool({ threads }) : undefined;
    const concurrency = options.concurrency ?? DEFAULT_POOL_CONCURRENCY;
    // Each file in progress listens on the hard stop (through AbortSignal.any): bounded by `concurrency`.
    this.grace = new GracePeriod(signal, {
      clock,
      ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
      maxListeners: concurrency + SPARE_LISTENERS,
      onStop: (graceMs) => observer.stopping(graceMs),
    });
    const checkpoint = new RunCheckpoint({
      input: options.input,
      output: options.output,
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
      ...(options.rescan !== undefined ? { rescan: options.rescan } : {}),
      ...(options.checkpointIntervalMs !== undefined ? { intervalMs: options.checkpointIntervalMs } : {}),
      clock,
      now,
      ...(logger ? { logger } : {}),
    });
    if (options.rarePairs || options.mode === "backfill") {
      const settings = options.rarePairs ?? { minCount: DEFAULT_RARE_MIN_COUNT, window: DEFAULT_RARE_WINDOW };
      this.rare = new RarePairPolicy(options.output, settings, options.cachedLevels, now);
    }
    const scanner = new PendingScanner(options.input, options.output, {
      ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
      ...(options.scanPageKeys !== undefined ? { pageKeys: options.scanPageKeys } : {}),
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      checkpoint,
    });
    // One local cache for the run's files and the backfill's.
    const files = this.fileDefaults();
    const runner = new FileRunner({
      files,
      leases: options.leases ?? new NoLeases(),
      observer,
      hardStop: this.grace.signal,
      onDone: (key) => scanner.markDone(key),
    });
    this.pool = new FilePool({
      runner,
      observer,
      clock,
      concurrency,
      recheckBusy: options.mode === "once",
      ...(options.leaseRecheckMs !== undefined ? { leaseRecheckMs: options.leaseRecheckMs } : {}),
      ...(signal ? { signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    // The backfill's files are counted apart (rarePairs.backfill in the summary), not as more done files.
    this.backfillObserver = new RunObserver({ ...(logger ? { logger } : {}), now });
    const rewrite = new FileRunner({
      files: { ...files, rare: undefined, ...(this.rare ? { backfill: this.rare } : {}) },
      leases: options.leases ?? new NoLeases(),
      observer: this.backfillObserver,
      hardStop: this.grace.signal,
      onDone: () => {},
    });
    this.backfillPool = new FilePool({
      runner: rewrite,
      observer: this.backfillObserver,
      clock,
      concurrency,
      recheckBusy: options.mode !== "watch",
      ...(options.leaseRecheckMs !== undefined ? { leaseRecheckMs: options.leaseRecheckMs } : {}),
      ...(signal ? { signal } : {}),
    });
    this.pass = new PendingPass({
      scanner,
      checkpoint,
      pool: this.pool,
      observer,
      ...(signal ? { signal } : {}),
    });
  }

  /** Runs until done ("once", or the given keys) or a stop ("watch"); resolves with the summary. */
  async run(): Promise<RunSummaryJson> {
    if (this.started) throw new Error("Augmenter.run() may be called once");
    this.started = true;
    const { options, observer } = this;
    const { signal } = options;
    this.grace.start();
    try {
      await this.rare?.load(signal);
      if (options.mode === "backfill") {
        await this.backfill(this.rare!.queuedKeys());
        return this.finish();
      }
      if (options.keys) {
        await this.pool.drain(options.keys, { filesTotal: options.keys.length, filesFinished: 0, lines: 0 });
        await this.backfill(this.rare?.dueKeys() ?? []);
        return this.finish();
      }
      for (;;) {
        try {
          await this.pass.run();
          await this.backfill(this.rare?.dueKeys() ?? []);
        } catch (error) {
          if (signal?.aborted) return this.finish();
          if (options.mode === "once") throw error;
          observer.listingFailed(error);
        }
        if (options.mode === "once" || signal?.aborted) return this.finish();
        await this.clock.sleep(options.intervalMs ?? DEFAULT_INTERVAL_MS, signal).catch(() => undefined);
        if (signal?.aborted) return this.finish();
      }
    } finally {
      this.grace.close();
      await this.parser?.close();
    }
  }

  /** Rewrites queued files (their lines pending) with every level; their markers go after. */
  private async backfill(keys: readonly string[]): Promise<void> {
    if (this.rare) this.observer.rareQueue(this.rare.queuedFiles);
    if (keys.length === 0 || this.options.signal?.aborted) return;
    this.options.logger?.info({ files: keys.length }, "backfill of pending rare pairs: rewriting files");
    await this.backfillPool.drain(keys, { filesTotal: keys.length, filesFinished: 0, lines: 0 });
    this.observer.rareQueue(this.rare!.queuedFiles);
  }

  /** The summary; with the rare-pair queue, its part (what was deferred, what the backfill did). */
  private finish(): RunSummaryJson {
    const summary = this.observer.finish();
    if (!this.rare) return summary;
    const backfill = this.backfillObserver.finish();
    return {
      ...summary,
      rarePairs: {
        ...this.observer.deferred(),
        queuedFiles: this.rare.queuedFiles,
        backfill: {
          files: backfill.files,
          lines: backfill.lines.out,
          pairsRequested: backfill.pairsRequested,
          failedFiles: backfill.failedFiles,
        },
      },
    };
  }

  /** processFile's options shared by every file: the stores, the resolver, the local cache, the parser. */
  private fileDefaults(): FileDefaults {
    const { options, parser } = this;
    const entries = options.localCacheEntries ?? DEFAULT_LOCAL_CACHE_ENTRIES;
    return {
      input: options.input,
      output: options.output,
      errors: options.errors,
      resolver: options.resolver,
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      ...(entries > 0 ? { cache: new PairLevelCache(entries) } : {}),
      ...(options.chunkLines !== undefined ? { chunkLines: options.chunkLines } : {}),
      ...(options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {}),
      ...(options.spillBytes !== undefined ? { spillBytes: options.spillBytes } : {}),
      ...(options.spillDir !== undefined ? { spillDir: options.spillDir } : {}),
      ...(parser ? { parser } : {}),
      ...(options.rarePairs && this.rare ? { rare: this.rare } : {}),
    };
  }
}
