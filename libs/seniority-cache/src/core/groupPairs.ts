import type { PairKeyMemo } from "./PairKeyMemo.js";
import type { SeniorityPair } from "@seniority/seniority-model";

/** The items of one request that share a cache key. */
export interface PairGroup {
  /** Hex of the 16-byte pair key: the L1 and singleflight key. */
  readonly hex: string;
  readonly key: Buffer;
  /** The first-seen original strings (what the model is sent). */
  readonly pair: SeniorityPair;
  /** Positions in the request that this key answers. */
  readonly indices: number[];
}

/**
 * Groups a request's items (those at `positions`, ascending) by pair key, in order of first
 * appearance; keys come from `memo` (computed once per exact spelling).
 */
export function groupPairs(
  pairs: readonly SeniorityPair[],
  positions: readonly number[],
  memo: PairKeyMemo,
): PairGroup[] {
  const groups = new Map<string, PairGroup>();
  for (const index of positions) {
    const { company, title } = pairs[index]!;
    const { hex, key } = memo.keyOf(company, title);
    const group = groups.get(hex);
    if (group) group.indices.push(index);
    else groups.set(hex, { hex, key, pair: { company, title }, indices: [index] });
  }
  return [...groups.values()];
}
