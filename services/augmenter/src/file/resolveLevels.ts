import type { SeniorityPair, SeniorityResolver } from "@seniority/seniority-model";
import type { PairLevelCache } from "./PairLevelCache.js";

/** The local cache of exact pairs → level, shared by every file of a run. */
export type LocalPairCache = PairLevelCache;

export interface ResolvedLevels {
  /** The level of each pair asked, in the same order. */
  levels: number[];
  /** Pairs answered by the local cache. */
  cacheHits: number;
  /** Pairs sent to the resolver. */
  requested: number;
}

/**
 * Levels of `pairs` (distinct: the caller dedups): first the local cache, then one resolver call
 * for the rest (which the client splits into batches); answers are added to the cache. With
 * every pair cached (a warm run) the resolver is not called at all.
 */
export async function resolveLevels(
  pairs: readonly SeniorityPair[],
  resolver: SeniorityResolver,
  cache: LocalPairCache | undefined,
  signal?: AbortSignal,
): Promise<ResolvedLevels> {
  const levels = new Array<number>(pairs.length);
  const missing: SeniorityPair[] = [];
  const missingAt: number[] = []; // indexes into `pairs`
  for (let i = 0; i < pairs.length; i++) {
    const level = cache?.get(pairs[i]!);
    if (level === undefined) {
      missing.push(pairs[i]!);
      missingAt.push(i);
    } else {
      levels[i] = level;
    }
  }
  if (missing.length > 0) {
    const answers = await resolver.resolve(missing, signal ? { signal } : {});
    for (let n = 0; n < missing.length; n++) {
      levels[missingAt[n]!] = answers[n]!;
      cache?.set(missing[n]!, answers[n]!);
    }
  }
  return { levels, cacheHits: pairs.length - missing.length, requested: missing.length };
}
