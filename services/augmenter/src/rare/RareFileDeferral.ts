import type { SeniorityPair } from "@seniority/seniority-model";
import { PairIndex } from "../PairIndex.js";
import type { RarePairCounts } from "./RarePairCounts.js";
import type { CachedLevels } from "./CachedLevels.js";

/**
 * One file's side of the rare-pair policy: each uncached pair of the file is counted once in the
 * window (a file counts as one sighting, however many lines repeat the pair) and the answer —
 * defer or infer now — holds for the whole file, every chunk. Collects what the file deferred:
 * its distinct pairs (the queue marker's) and the lines left with `"seniority": null`.
 */
export class RareFileDeferral {
  /** Pairs deferred, first seen first. */
  readonly deferred: SeniorityPair[] = [];
  /** Output lines written with `"seniority": null` so far. */
  pendingLines = 0;
  // guarded by: at most counts.maxPairs decisions a file (beyond them a pair is inferred at once).
  private readonly decided = new PairIndex<boolean>();

  constructor(
    private readonly counts: RarePairCounts,
    /** The file's position in the window (stream ms, or file ordinal). */
    readonly position: number,
    private readonly minCount: number,
    /** Asked before a pair is counted: a cached pair is never deferred (see CachedLevels). */
    readonly cachedLevels: CachedLevels | undefined = undefined,
  ) {}

  /**
   * Whether `pair` (not cached) waits for the backfill: fewer than `minCount` files saw it in the
   * window, this one included. A pair the counts have no room for is never deferred.
   */
  defers(pair: SeniorityPair): boolean {
    const known = this.decided.get(pair.company, pair.title);
    if (known !== undefined) return known;
    if (this.decided.size >= this.counts.maxPairs) return false;
    const count = this.counts.add(pair.company, pair.title, this.position);
    const defer = count !== undefined && count < this.minCount;
    this.decided.set(pair.company, pair.title, defer);
    if (defer) this.deferred.push(pair);
    return defer;
  }
}
