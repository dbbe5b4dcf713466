import type { RunSummaryJson } from "../run/RunSummary.js";

/**
 * The end of a run: its summary as one JSON line on stdout; files that failed (or whose
 * rare-pair backfill failed) are named on stderr, and the exit code is 1.
 */
export function reportSummary(summary: RunSummaryJson): void {
  process.stdout.write(JSON.stringify(summary) + "\n");
  if (summary.failedFiles.length > 0) {
    process.stderr.write(
      `augment: ${summary.failedFiles.length} file(s) failed (retried next run): ${summary.failedFiles.join(", ")}\n`,
    );
    process.exitCode = 1;
  }
  const backfillFailed = summary.rarePairs?.backfill.failedFiles ?? [];
  if (backfillFailed.length > 0) {
    process.stderr.write(
      `augment: the backfill of ${backfillFailed.length} file(s) failed (still queued): ${backfillFailed.join(", ")}\n`,
    );
    process.exitCode = 1;
  }
}
