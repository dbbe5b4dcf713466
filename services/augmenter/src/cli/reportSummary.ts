import type { RunSummaryJson } from "../run/RunSummary.js";

/**
 * The end of a run: its summary as one JSON line on stdout; files that failed are named on
 * stderr, and the exit code is 1.
 */
export function reportSummary(summary: RunSummaryJson): void {
  process.stdout.write(JSON.stringify(summary) + "\n");
  if (summary.failedFiles.length > 0) {
    process.stderr.write(
      `augment: ${summary.failedFiles.length} file(s) failed (retried next run): ${summary.failedFiles.join(", ")}\n`,
    );
    process.exitCode = 1;
  }
}
