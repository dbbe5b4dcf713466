import type { RunSummaryJson } from "@seniority/augmenter";
import { CLI_BIN } from "../core/paths.js";
import { runMeasured, shellWords, type MeasuredRun } from "./runMeasured.js";

export interface AugmentRunOptions {
  /** A folder (`--input` with `--once`) or, with `file`, the single file to augment. */
  input?: string;
  file?: string;
  output: string;
  errors?: string;
  proxy: string;
  extraArgs?: string[];
  /** S3 variables for s3:// locations. */
  env?: Record<string, string>;
}

export interface AugmentRun extends MeasuredRun {
  summary: RunSummaryJson;
}

/**
 * `seniority augment … --once` (or one file) to completion as its own process, measured: wall,
 * exact CPU, peak RSS. Throws if it exits non-zero or any file failed — a benchmark fails loudly.
 */
export async function runAugment(options: AugmentRunOptions): Promise<AugmentRun> {
  const args = ["augment", ...(options.file ? [options.file] : ["--once", "--input", options.input!])];
  args.push("--output", options.output, "--proxy", options.proxy, "--progress", "false");
  if (options.errors) args.push("--errors", options.errors);
  args.push(...(options.extraArgs ?? []));
  const run = await runMeasured(shellWords(process.execPath, CLI_BIN, ...args), {
    env: { SENIORITY_LOG_LEVEL: "warn", ...options.env },
  });
  const last = run.stdout.trim().split("\n").pop() ?? "";
  let summary: RunSummaryJson;
  try {
    summary = JSON.parse(last) as RunSummaryJson;
  } catch {
    throw new Error(`augment printed no summary: ${run.stdout.slice(-500)}`);
  }
  if (summary.files.failed > 0 || summary.files.aborted > 0) {
    throw new Error(
      `augment: ${summary.files.failed} files failed, ${summary.files.aborted} aborted (${summary.failedFiles.join(", ")})`,
    );
  }
  return { ...run, summary };
}
