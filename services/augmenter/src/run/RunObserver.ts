import type { Logger } from "@seniority/telemetry";
import type { AugmenterMetrics } from "./AugmenterMetrics.js";
import type { FileResult } from "../file/processFile.js";
import { RunSummary, type RunSummaryJson } from "./RunSummary.js";

/**
 * What a run did, in one place: each file's outcome becomes the run summary, the metrics and the
 * log line together, so the three cannot disagree.
 */
export class RunObserver {
  private readonly summary = new RunSummary();

  constructor(
    private readonly metrics?: AugmenterMetrics,
    private readonly logger?: Logger,
  ) {}

  /** processFile's result: augmented now, or skipped (its output was current). */
  fileDone(result: FileResult): void {
    const { metrics } = this;
    this.summary.add(result);
    if (result.outcome === "skipped") {
      metrics?.files.inc({ outcome: "skipped" });
      return;
    }
    metrics?.files.inc({ outcome: "done" });
    metrics?.lines.inc({ outcome: "ok" }, result.linesOut);
    metrics?.lines.inc({ outcome: "bad" }, result.linesBad);
    metrics?.pairsRequested.inc(result.pairsRequested);
    metrics?.localCacheHits.inc(result.localCacheHits);
    metrics?.fileDuration.observe(result.seconds);
    this.logger?.info(result, "file done");
  }

  /** Files the scan found done already (their outputs current): never opened. */
  alreadyDone(keys: readonly string[]): void {
    for (const key of keys) this.summary.skipped(key);
    this.metrics?.files.inc({ outcome: "skipped" }, keys.length);
  }

  /** Cancelled by the end of the grace period after a stop: nothing of it visible. */
  fileAborted(key: string): void {
    this.summary.aborted(key);
    this.logger?.warn({ file: key }, "file aborted at shutdown (redone next run)");
  }

  fileFailed(key: string, err: unknown): void {
    this.summary.failed(key);
    this.metrics?.files.inc({ outcome: "failed" });
    this.logger?.error({ file: key, err }, "file failed (retried next run)");
  }

  finish(): RunSummaryJson {
    return this.summary.finish();
  }
}
