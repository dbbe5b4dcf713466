import calculateSlot from "cluster-key-slot";

/** Redis Cluster hash slots. */
export const CLUSTER_SLOTS = 16_384;

/** Most partitions a namespace may have: one per slot. */
export const MAX_PARTITIONS = CLUSTER_SLOTS;

/**
 * The hash tags (without braces) of a namespace's `count` partitions, partition k's tag landing in
 * the k-th of `count` equal slot ranges: `<ns>:p<n>` for the first n whose slot falls in a range
 * not yet taken. Plain `<ns>:p<k>` tags would fall on random slots, so 48 partitions over 3 masters
 * would be ±18% apart (one standard deviation); spread this way, any cluster whose masters serve
 * equal contiguous slot ranges (what `redis-cli --cluster create` and `rebalance` make) gets
 * ⌊count / masters⌋ or ⌈count / masters⌉ partitions each. Deterministic: every replica derives the
 * same tags from the namespace and the recorded count (~count·ln(count) slot hashes, once).
 * One partition is the namespace itself (`{<ns>}`: the layout before partitions existed).
 */
export function partitionTags(namespace: string, count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_PARTITIONS) {
    throw new RangeError(`partitions must be an integer in 1..${MAX_PARTITIONS}, got ${count}`);
  }
  if (count === 1) return [namespace];
  const tags = new Array<string | undefined>(count).fill(undefined);
  let filled = 0;
  for (let n = 0; filled < count; n++) {
    const tag = `${namespace}:p${n}`;
    const range = Math.floor((calculateSlot(tag) * count) / CLUSTER_SLOTS);
    if (tags[range] === undefined) {
      tags[range] = tag;
      filled++;
    }
  }
  return tags as string[];
}
