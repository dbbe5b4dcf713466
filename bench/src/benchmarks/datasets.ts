import type { DatasetSpec } from "../infra/Dataset.js";

/**
 * The one generated stream the data benchmarks share (fixed seed, the generator's realistic
 * ~5,500-line minute files). Its first files are the model-calls stream; the files after them are
 * the measured fraction of a day (so the day runs against a cache warmed by the stream before it).
 */
export const STREAM: { full: DatasetSpec & StreamParts; quick: DatasetSpec & StreamParts } = {
  full: { files: 372 + 144, linesPerFile: 5500, seed: 20240717, prefixFiles: 372, throughputFiles: 120 },
  quick: { files: 20 + 4, linesPerFile: 2500, seed: 20240717, prefixFiles: 20, throughputFiles: 4 },
};

export interface StreamParts {
  /** Files of the model-calls stream (and the warm-up before the day fraction). */
  prefixFiles: number;
  /** Files the throughput benchmark augments per run. */
  throughputFiles: number;
}
