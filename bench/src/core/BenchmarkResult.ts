import type { MachineInfo } from "./MachineInfo.js";

/** A table of a result: printed to the console and rendered into docs/benchmarks.md. */
export interface ResultTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

/** A target from issue 6, with what was measured against it. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** A bar chart drawn from the result into docs/ (one SVG per chart). */
export interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  bars: { label: string; value: number; kind: "system" | "baseline" }[];
}

/** What a benchmark's run returns. */
export interface BenchmarkReport {
  /** The sizes used (lines, files, pairs, capacity …), stated so a reader can reproduce them. */
  scale: Record<string, string | number>;
  tables: ResultTable[];
  targets: TargetCheck[];
  charts: ChartSpec[];
  /** Flat numbers for machines (CI diffing, charts); names carry their unit. */
  metrics: Record<string, number>;
  notes: string[];
}

/** bench/results/<name>.json */
export interface BenchmarkResult extends BenchmarkReport {
  name: string;
  title: string;
  description: string;
  quick: boolean;
  status: "ok" | "error";
  error?: string;
  machine: MachineInfo;
  elapsedSeconds: number;
}

export function emptyReport(): BenchmarkReport {
  return { scale: {}, tables: [], targets: [], charts: [], metrics: {}, notes: [] };
}
