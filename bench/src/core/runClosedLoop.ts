import { percentile } from "./percentile.js";

/** Throughput and latency of one closed-loop load run. */
export interface LoadResult {
  operations: number;
  /** Items served (pairs, lines …) as counted by the operation. */
  items: number;
  seconds: number;
  itemsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LoadOptions {
  /** Operations in flight at once (default 4). */
  concurrency?: number;
  /** Stop starting operations after this long, ms. */
  durationMs: number;
  /** …or after this many operations, whichever comes first (bounds every load test). */
  maxOperations: number;
}

/**
 * A closed-loop load generator: `concurrency` workers each start an operation as soon as their
 * previous one finished, until the time or count bound. `operation(i)` resolves to the number of
 * items it served. Latency is per operation, wall clock. An operation that throws fails the run.
 */
export async function runClosedLoop(
  operation: (i: number) => Promise<number>,
  options: LoadOptions,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let started = 0;
  let items = 0;
  const begin = performance.now();
  const end = begin + options.durationMs;
  const worker = async () => {
    while (started < options.maxOperations && performance.now() < end) {
      const i = started++;
      const t0 = performance.now();
      const served = await operation(i); // read items only after the await: `items += await …` would lose updates
      items += served;
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  const seconds = (performance.now() - begin) / 1000;
  return {
    operations: latencies.length,
    items,
    seconds,
    itemsPerSecond: items / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
  };
}
