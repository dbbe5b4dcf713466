import { pairKey, type NormalizationMode } from "@seniority/pair-key";
import type { SeniorityPair } from "./SeniorityPair.js";

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

/** Groups a request's items by pair key, in order of first appearance. */
export function groupPairs(pairs: readonly SeniorityPair[], mode: NormalizationMode): PairGroup[] {
  const groups = new Map<string, PairGroup>();
  for (let index = 0; index < pairs.length; index++) {
    const { company, title } = pairs[index]!;
    const key = pairKey(company, title, mode);
    const hex = key.toString("hex");
    const group = groups.get(hex);
    if (group) group.indices.push(index);
    else groups.set(hex, { hex, key, pair: { company, title }, indices: [index] });
  }
  return [...groups.values()];
}
