import type { LoadResult } from "./runClosedLoop.js";
import { median } from "./percentile.js";

/** A variant's interleaved rounds reduced to medians (robust to one noisy round). */
export interface RoundSummary {
  rounds: number;
  itemsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Lowest and highest round throughput, to show the spread. */
  minItemsPerSecond: number;
  maxItemsPerSecond: number;
  /** CPU seconds the measured server spent per million items (median of rounds). */
  serverCpuPerMillion: number;
}

export interface MeasuredRound extends LoadResult {
  serverCpuSeconds: number;
}

export function summarizeRounds(rounds: readonly MeasuredRound[]): RoundSummary {
  const rates = rounds.map((r) => r.itemsPerSecond);
  return {
    rounds: rounds.length,
    itemsPerSecond: median(rates),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    minItemsPerSecond: Math.min(...rates),
    maxItemsPerSecond: Math.max(...rates),
    serverCpuPerMillion: median(rounds.map((r) => (r.serverCpuSeconds / r.items) * 1e6)),
  };
}
