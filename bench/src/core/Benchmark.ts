import type { BenchmarkReport } from "./BenchmarkResult.js";

/** What the runner hands a benchmark. */
export interface BenchContext {
  /** Tiny sizes (CI proves the benchmark still works; total < 2 minutes). */
  quick: boolean;
  /** A scratch directory of this benchmark under bench/results/tmp/ (kept out of git). */
  workDir: string;
  log(message: string): void;
  /** Registers a cleanup (stop a process, remove files); run in reverse order however the run ends. */
  defer(cleanup: () => unknown): void;
}

export interface Benchmark {
  /** File-name-safe: the result lands in bench/results/<name>.json. */
  name: string;
  title: string;
  /** What it measures and how, for docs/benchmarks.md (one paragraph, Markdown). */
  description: string;
  run(ctx: BenchContext): Promise<BenchmarkReport>;
}
