/** Pairs the compact layout is sized for when nothing else is said (the design's year of data). */
export const DEFAULT_EXPECTED_PAIRS = 20_000_000;

/**
 * Mean fields a bucket the default bucket count aims at: 80 + 5·√80 ≈ 125 stays under Redis'
 * default `hash-max-listpack-entries` (128) for the fullest bucket (see expectedFullestBucket),
 * while enough pairs share a bucket that its key overhead (~70 bytes) is ~1 byte a pair.
 */
const TARGET_FIELDS_PER_BUCKET = 80;

/**
 * The compact layout's default bucket count for `expectedPairs`: the power of two at or above
 * expectedPairs / 80 (20M pairs → 262,144, the count every namespace used before it could be set).
 */
export function bucketsFor(expectedPairs: number): number {
  if (!Number.isInteger(expectedPairs) || expectedPairs < 1) {
    throw new RangeError(`expected pairs must be an integer >= 1, got ${expectedPairs}`);
  }
  const wanted = Math.ceil(expectedPairs / TARGET_FIELDS_PER_BUCKET);
  return Math.min(2 ** 32, 2 ** Math.ceil(Math.log2(Math.max(1, wanted))));
}

/**
 * Fields in the fullest bucket to plan for when `pairs` spread over `buckets` (pair keys are
 * uniform, so a bucket's size is ~Poisson(m), m = pairs / buckets): m + 5·√m. Over 2^18 buckets
 * the fullest stays below it about 9 times in 10 (P(Z > 5) ≈ 3·10⁻⁷ a bucket).
 */
export function expectedFullestBucket(pairs: number, buckets: number): number {
  const mean = pairs / buckets;
  return mean + 5 * Math.sqrt(mean);
}
