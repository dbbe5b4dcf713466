/** What the simulator has been asked to infer since start (or the last reset). */
export interface ModelSimStats {
  /** Batches accepted (refused, failed and empty calls are not counted). */
  batches: number;
  items: number;
  /**
   * Distinct exact (company, title) pairs inferred. Exact while at most `maxTrackedPairs` were
   * seen; beyond, a forgotten pair seen again counts as new (an upper bound).
   */
  distinctPairs: number;
  /**
   * Items whose exact pair had been inferred before, including earlier in the same batch. Exact
   * while `forgottenPairs` is 0; beyond, repeats of forgotten pairs are missed (a lower bound).
   */
  duplicateInferences: number;
  /** Pairs dropped from the remembered set, oldest first, to stay within `maxTrackedPairs`. */
  forgottenPairs: number;
  maxBatchSize: number;
  /** The most items accepted within any sliding 1-second window (t − 1 s, t]. */
  peakItemsPerSecond: number;
  /** Time batches waited behind earlier ones before the model started on them. */
  queueDelaySeconds: { total: number; max: number };
  /** Sizes of the first `BATCH_SIZES_KEPT` batches, in arrival order. */
  batchSizes: number[];
}

/** How many batch sizes `batchSizes` keeps (enough for any test or benchmark run). */
export const BATCH_SIZES_KEPT = 100_000;

const WINDOW_MS = 1000;

/**
 * Counters behind `/stats`. Everything is recorded when a batch is accepted, in arrival order, so
 * the peak measures the load callers offer the model (what a pacing proxy controls).
 *
 * Memory: distinct exact pairs are remembered (a Set of length-prefixed
 * "<company length>:<company><title>" strings — never a joined "company\0title", which two
 * different pairs can share — roughly 100 bytes a pair) so duplicates are counted exactly, up to `maxTrackedPairs` (default: no limit;
 * the CLI's --max-tracked-pairs: 2,000,000 ≈ 200 MB). Beyond it the oldest pair is forgotten for
 * each new one (counted in forgottenPairs), so a long-running sim's memory stays bounded;
 * `reset()` frees it all.
 */
export class SimStats {
  constructor(private readonly maxTrackedPairs = Number.POSITIVE_INFINITY) {
    if (!(maxTrackedPairs >= 1)) throw new RangeError(`maxTrackedPairs must be ≥ 1, got ${maxTrackedPairs}`);
  }

  private forgotten = 0;
  private batches = 0;
  private items = 0;
  private duplicates = 0;
  private maxBatchSize = 0;
  private peak = 0;
  private queueDelayTotalMs = 0;
  private queueDelayMaxMs = 0;
  private batchSizes: number[] = [];
  private pairs = new Set<string>();
  // guarded by: only arrivals within the last WINDOW_MS, oldest first; `windowItems` is their sum
  private window: { at: number; items: number }[] = [];
  private windowItems = 0;

  /**
   * Records one accepted batch. `at` and `queueDelayMs` are clock milliseconds; `at` never goes
   * backwards between calls. Returns how many of its items were duplicate inferences.
   */
  record(batch: readonly { company: string; title: string }[], at: number, queueDelayMs: number): number {
    const n = batch.length;
    this.batches += 1;
    this.items += n;
    this.maxBatchSize = Math.max(this.maxBatchSize, n);
    if (this.batchSizes.length < BATCH_SIZES_KEPT) this.batchSizes.push(n);
    this.queueDelayTotalMs += queueDelayMs;
    this.queueDelayMaxMs = Math.max(this.queueDelayMaxMs, queueDelayMs);

    let duplicates = 0;
    for (const { company, title } of batch) {
      const key = `${company.length}:${company}${title}`;
      if (this.pairs.has(key)) {
        duplicates += 1;
        continue;
      }
      if (this.pairs.size >= this.maxTrackedPairs) {
        // A Set iterates in insertion order: its first value is the oldest pair.
        this.pairs.delete(this.pairs.values().next().value!);
        this.forgotten += 1;
      }
      this.pairs.add(key);
    }
    this.duplicates += duplicates;

    this.window.push({ at, items: n });
    this.windowItems += n;
    while (this.window.length > 0 && this.window[0]!.at <= at - WINDOW_MS) {
      this.windowItems -= this.window.shift()!.items;
    }
    this.peak = Math.max(this.peak, this.windowItems);
    return duplicates;
  }

  get distinctPairs(): number {
    return this.pairs.size + this.forgotten;
  }

  snapshot(): ModelSimStats {
    return {
      batches: this.batches,
      items: this.items,
      distinctPairs: this.distinctPairs,
      duplicateInferences: this.duplicates,
      forgottenPairs: this.forgotten,
      maxBatchSize: this.maxBatchSize,
      peakItemsPerSecond: this.peak,
      queueDelaySeconds: { total: this.queueDelayTotalMs / 1000, max: this.queueDelayMaxMs / 1000 },
      batchSizes: [...this.batchSizes],
    };
  }

  /** Forgets everything, including which pairs were seen (a fresh model as far as /stats goes). */
  reset(): void {
    this.batches = 0;
    this.items = 0;
    this.duplicates = 0;
    this.maxBatchSize = 0;
    this.peak = 0;
    this.queueDelayTotalMs = 0;
    this.queueDelayMaxMs = 0;
    this.batchSizes = [];
    this.pairs = new Set();
    this.forgotten = 0;
    this.window = [];
    this.windowItems = 0;
  }
}
