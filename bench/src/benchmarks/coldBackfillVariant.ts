/** Pairs in each interactive request of coldBackfill (new pairs: misses). */
export const INTERACTIVE_PAIRS = 10;

export interface ColdBackfillScale {
  pairs: number;
  /** Other pairs backfilled first, unmeasured (a proxy warmed up, as in service). */
  warmPairs: number;
  capacity: number;
  bulkConcurrency: number;
  interactiveEveryMs: number;
}

/** One coldBackfill benchmark: its name, scale and interactive target. */
export interface ColdBackfillVariant {
  name: string;
  title: string;
  scale: { full: ColdBackfillScale; quick: ColdBackfillScale };
  /** The interactive p99 target, ms. */
  p99TargetMs: number;
}
