import { pairKey, type NormalizationMode } from "@seniority/pair-key";
import type { SeniorityPair } from "@seniority/seniority-model";
import type { ReplicaCoordination } from "../replicas/ReplicaCoordination.js";
import type { ResilientStore } from "../stores/ResilientStore.js";
import { CacheError } from "./CacheError.js";
import type { L1Cache } from "./L1Cache.js";
import type { PairKeyMemo } from "./PairKeyMemo.js";
import type { CachedLookup } from "./SeniorityCacheOptions.js";

/** Cached answers only (L1, then one store read); never calls the model (admin Lookup). */
export async function lookupCached(
  memo: PairKeyMemo,
  l1: L1Cache,
  store: ResilientStore,
  pairs: readonly SeniorityPair[],
): Promise<CachedLookup[]> {
  const keys = pairs.map((pair) => memo.keyOf(pair.company, pair.title).key);
  const results: CachedLookup[] = keys.map((key) => {
    const level = l1.peek(key.toString("hex"));
    return { level, tier: level === undefined ? undefined : "l1" };
  });
  const missing = results.flatMap((result, i) => (result.level === undefined ? [i] : []));
  const found = await store.lookup(
    missing.map((i) => keys[i]!),
    { exact: true },
  );
  missing.forEach((i, j) => {
    if (found[j] !== undefined) results[i] = { level: found[j], tier: "store" };
  });
  return results;
}

/**
 * Forgets pairs in L1 and the store and tells every replica to drop them from its L1 (admin
 * Invalidate); resolves to how many were cached (the larger of the L1 and store counts).
 */
export async function invalidatePairs(
  normalization: NormalizationMode,
  l1: L1Cache,
  store: ResilientStore,
  coordination: ReplicaCoordination | undefined,
  pairs: readonly SeniorityPair[],
): Promise<number> {
  const keys = new Map<string, Buffer>();
  for (const pair of pairs) {
    const key = pairKey(pair.company, pair.title, normalization);
    keys.set(key.toString("hex"), key);
  }
  let fromL1 = 0;
  for (const hex of keys.keys()) if (l1.delete(hex)) fromL1++;
  const fromStore = await store.remove([...keys.values()]);
  try {
    await coordination?.publishInvalidation([...keys.values()]);
  } catch (error) {
    throw new CacheError(
      "UNAVAILABLE",
      "the pairs were removed from the store, but other replicas could not be told; try again",
      { cause: error },
    );
  }
  return Math.max(fromL1, fromStore);
}
