import type { LRUCache } from "lru-cache";
import type { Pair, SeniorityResolver } from "@seniority/seniority-client";

/** The local LRU of exact pairs → level, shared by every file of a run. */
export type LocalPairCache = LRUCache<string, number>;

/** An unambiguous key for an exact (company, title) pair (the length prefix keeps "ab"+"c" ≠ "a"+"bc"). */
export function pairCacheKey(pair: Pair): string {
  return `${pair.company.length}:${pair.company}${pair.title}`;
}

export interface ResolvedLevels {
  /** pairCacheKey → level, for every pair asked. */
  levels: Map<string, number>;
  /** Distinct pairs answered by the local cache. */
  cacheHits: number;
  /** Distinct pairs sent to the resolver. */
  requested: number;
}

/**
 * Levels of the distinct pairs among `pairs`: first the local cache, then one resolver call for
 * the rest (which the client splits into batches); answers are added to the cache.
 */
export async function resolveLevels(
  pairs: Iterable<Pair>,
  resolver: SeniorityResolver,
  cache: LocalPairCache | undefined,
  signal?: AbortSignal,
): Promise<ResolvedLevels> {
  const levels = new Map<string, number>();
  const missing = new Map<string, Pair>();
  let cacheHits = 0;
  for (const pair of pairs) {
    const key = pairCacheKey(pair);
    if (levels.has(key) || missing.has(key)) continue;
    const cached = cache?.get(key);
    if (cached === undefined) {
      missing.set(key, pair);
    } else {
      levels.set(key, cached);
      cacheHits++;
    }
  }
  if (missing.size > 0) {
    const answers = await resolver.resolve([...missing.values()], signal ? { signal } : {});
    let index = 0;
    for (const key of missing.keys()) {
      const level = answers[index++]!;
      levels.set(key, level);
      cache?.set(key, level);
    }
  }
  return { levels, cacheHits, requested: missing.size };
}
