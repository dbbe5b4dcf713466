import type { ObjectStore } from "@seniority/object-store";
import type { CachedLevels } from "./CachedLevels.js";
import { keyTimestamp } from "../run/keyTimestamp.js";
import { PendingQueue, type PendingFile } from "./PendingQueue.js";
import { RareFileDeferral } from "./RareFileDeferral.js";
import { RarePairCounts } from "./RarePairCounts.js";
import { windowSpan, type RareWindow } from "./RareWindow.js";

/** Default `--rare-min-count`: a pair seen in one file only waits; its second file infers it. */
export const DEFAULT_RARE_MIN_COUNT = 2;
/** Pairs counted in the window at most (≈150 bytes each in memory): beyond, pairs are inferred at once. */
export const DEFAULT_RARE_MAX_PAIRS = 200_000;

export interface RarePairSettings {
  /** A pair seen in fewer files than this within the window is deferred (≥ 2). */
  minCount: number;
  window: RareWindow;
  /** Default DEFAULT_RARE_MAX_PAIRS. */
  maxPairs?: number;
}

interface Queued {
  position: number;
  deferredAtMs: number;
}

/**
 * The run's rare-pair policy (`--rare-pairs defer`): counts uncached pairs across files in the
 * window (RarePairCounts), hands each file its RareFileDeferral, queues the files that deferred
 * (PendingQueue, in the output store) and says which queued files are due for the backfill: those
 * the window has moved past (every pair they deferred either reached the count, and is cached now,
 * or aged out), or — for a window of stream time — deferred that long ago by the wall clock, so a
 * quiet stream does not hold them back.
 */
export class RarePairPolicy {
  readonly queue: PendingQueue;
  readonly minCount: number;
  private readonly counts: RarePairCounts;
  private readonly span: number;
  /** Files queued (this run's and those found at load), by key. */
  private readonly queued = new Map<string, Queued>();
  private current = Number.NEGATIVE_INFINITY;
  private ordinal = 0;

  constructor(
    output: ObjectStore,
    readonly settings: RarePairSettings,
    readonly cachedLevels: CachedLevels | undefined = undefined,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(settings.minCount) || settings.minCount < 2)
      throw new RangeError(`minCount must be an integer ≥ 2, got ${settings.minCount}`);
    this.minCount = settings.minCount;
    this.span = windowSpan(settings.window);
    this.counts = new RarePairCounts(settings.maxPairs ?? DEFAULT_RARE_MAX_PAIRS, this.span);
    this.queue = new PendingQueue(output);
  }

  /** Files queued now. */
  get queuedFiles(): number {
    return this.queued.size;
  }

  /** Pairs counted in the window now. */
  get countedPairs(): number {
    return this.counts.size;
  }

  /**
   * Reads the queue left by earlier runs (or other replicas): its files are queued again and their
   * pairs counted at their positions. With a window of files, positions do not carry over a
   * restart: they count as this run's first. Resolves to the files found.
   */
  async load(signal?: AbortSignal): Promise<number> {
    let found = 0;
    for await (const key of this.queue.keys(signal)) {
      const file = await this.queue.read(key, signal);
      if (!file) continue;
      const position = this.settings.window.kind === "files" ? 0 : file.position;
      this.queued.set(key, { position, deferredAtMs: file.deferredAtMs });
      for (const pair of file.pairs) this.counts.add(pair.company, pair.title, position);
      if (this.settings.window.kind === "duration") this.current = Math.max(this.current, position);
      found++;
    }
    return found;
  }

  /** A file starts: its position (its name's timestamp, else now; or the next ordinal), its deferral. */
  begin(key: string): RareFileDeferral {
    const stamp = keyTimestamp(key);
    const position =
      this.settings.window.kind === "files"
        ? ++this.ordinal
        : stamp !== undefined
          ? stamp * 1000
          : this.now();
    this.current = Math.max(this.current, position);
    this.counts.expire(this.current);
    return new RareFileDeferral(this.counts, position, this.minCount, this.cachedLevels);
  }

  /** Queues a file that deferred pairs: its marker is put (before its output: see PendingQueue). */
  async enqueue(key: string, deferral: RareFileDeferral, signal?: AbortSignal): Promise<void> {
    const file: PendingFile = {
      key,
      position: deferral.position,
      deferredAtMs: this.now(),
      pendingLines: deferral.pendingLines,
      pairs: deferral.deferred,
    };
    await this.queue.put(file, signal);
    this.queued.set(key, { position: file.position, deferredAtMs: file.deferredAtMs });
  }

  /** The queued files the window has moved past (or, for stream time, deferred that long ago), in name order. */
  dueKeys(): string[] {
    const wall = this.now();
    const byTime = this.settings.window.kind === "duration";
    return [...this.queued]
      .filter(
        ([, file]) =>
          file.position + this.span <= this.current || (byTime && wall - file.deferredAtMs >= this.span),
      )
      .map(([key]) => key)
      .sort();
  }

  /** Every queued file, in name order. */
  queuedKeys(): string[] {
    return [...this.queued.keys()].sort();
  }

  /** The file's output is final (the backfill rewrote it): its marker is deleted. */
  async dequeue(key: string, signal?: AbortSignal): Promise<void> {
    await this.queue.delete(key, signal);
    this.queued.delete(key);
  }
}
