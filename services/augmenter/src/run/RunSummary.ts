import type { FileResult } from "../file/processFile.js";

/** Failed file names kept for the summary (the count is always exact). */
const FAILED_NAMES_KEPT = 1000;

/** The one-line JSON a run prints on stdout when it ends. */
export interface RunSummaryJson {
  files: { done: number; failed: number; skipped: number; aborted: number };
  lines: { in: number; out: number; bad: number };
  pairsRequested: number;
  localCacheHits: number;
  seconds: number;
  /** Files whose last attempt in this run failed (at most 1000 names), in name order. */
  failedFiles: string[];
  /** With `--rare-pairs defer` or `--backfill-pending` only. */
  rarePairs?: RarePairsSummary;
}

/** What the rare-pair policy did in a run. */
export interface RarePairsSummary {
  /** Distinct pairs deferred, summed over files (a pair deferred in two files counts twice). */
  deferredPairs: number;
  /** Lines written with `"seniority": null`. */
  pendingLines: number;
  /** Files still queued at the end (their lines pending). */
  queuedFiles: number;
  /**
   * Files rewritten by the backfill, their good lines, the pairs they sent to the resolver, and
   * the files whose rewrite failed (still queued; at most 1000 names).
   */
  backfill: { files: RunSummaryJson["files"]; lines: number; pairsRequested: number; failedFiles: string[] };
}

/** Totals of one run, filled as files finish. */
export class RunSummary {
  private readonly started = performance.now();
  private readonly files = { done: 0, failed: 0, skipped: 0, aborted: 0 };
  private readonly lines = { in: 0, out: 0, bad: 0 };
  private pairsRequested = 0;
  private localCacheHits = 0;
  private deferredPairs = 0;
  private pendingLines = 0;
  // guarded by: at most FAILED_NAMES_KEPT names; a later success removes its name.
  private readonly failedNames = new Set<string>();

  add(result: FileResult): void {
    this.failedNames.delete(result.key);
    if (result.outcome === "skipped") {
      this.files.skipped++;
      return;
    }
    this.files.done++;
    this.lines.in += result.linesIn;
    this.lines.out += result.linesOut;
    this.lines.bad += result.linesBad;
    this.pairsRequested += result.pairsRequested;
    this.localCacheHits += result.localCacheHits;
    this.deferredPairs += result.pending?.pairs ?? 0;
    this.pendingLines += result.pending?.lines ?? 0;
  }

  skipped(_key: string): void {
    this.files.skipped++;
  }

  failed(key: string): void {
    this.files.failed++;
    if (this.failedNames.size < FAILED_NAMES_KEPT) this.failedNames.add(key);
  }

  aborted(_key: string): void {
    this.files.aborted++;
  }

  /** Failed in this run and not done since. */
  get failedFiles(): string[] {
    return [...this.failedNames].sort();
  }

  /** What the rare-pair policy deferred in the files done (RarePairsSummary's first two). */
  get deferred(): Pick<RarePairsSummary, "deferredPairs" | "pendingLines"> {
    return { deferredPairs: this.deferredPairs, pendingLines: this.pendingLines };
  }

  finish(): RunSummaryJson {
    return {
      files: { ...this.files },
      lines: { ...this.lines },
      pairsRequested: this.pairsRequested,
      localCacheHits: this.localCacheHits,
      seconds: Math.round((performance.now() - this.started) / 10) / 100,
      failedFiles: this.failedFiles,
    };
  }
}
