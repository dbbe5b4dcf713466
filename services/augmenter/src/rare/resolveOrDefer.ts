import type { SeniorityPair, SeniorityResolver } from "@seniority/seniority-model";
import type { LocalPairCache } from "../file/resolveLevels.js";
import type { RareFileDeferral } from "./RareFileDeferral.js";

export interface DeferredLevels {
  /** Per pair asked, in order: its level, or null when it was deferred. */
  levels: (number | null)[];
  cacheHits: number;
  requested: number;
  deferred: number;
}

/**
 * resolveLevels with the rare-pair policy: a pair in the local cache, or (when the deferral has
 * `cachedLevels`) in the cache behind the resolver, gets its level and is never deferred (it costs no model
 * call); of the rest, those the file's deferral says are rare get null; one resolver call for the
 * others. Never a level that did not come from the resolver or a cache.
 */
export async function resolveOrDefer(
  pairs: readonly SeniorityPair[],
  resolver: SeniorityResolver,
  cache: LocalPairCache | undefined,
  deferral: RareFileDeferral,
  signal?: AbortSignal,
): Promise<DeferredLevels> {
  const levels = new Array<number | null>(pairs.length);
  let uncached: number[] = []; // indexes into `pairs`
  for (let i = 0; i < pairs.length; i++) {
    const level = cache?.get(pairs[i]!);
    if (level === undefined) uncached.push(i);
    else levels[i] = level;
  }
  const cacheHits = pairs.length - uncached.length;
  const { cachedLevels } = deferral;
  if (cachedLevels && uncached.length > 0) {
    const found = await cachedLevels(
      uncached.map((i) => pairs[i]!),
      signal,
    );
    uncached = uncached.filter((i, n) => {
      const level = found[n];
      if (level === undefined) return true;
      levels[i] = level;
      cache?.set(pairs[i]!, level);
      return false;
    });
  }
  const missingAt: number[] = [];
  let deferred = 0;
  for (const i of uncached) {
    if (deferral.defers(pairs[i]!)) {
      levels[i] = null;
      deferred++;
    } else {
      missingAt.push(i);
    }
  }
  if (missingAt.length > 0) {
    const missing = missingAt.map((i) => pairs[i]!);
    const answers = await resolver.resolve(missing, signal ? { signal } : {});
    missingAt.forEach((i, n) => {
      levels[i] = answers[n]!;
      cache?.set(missing[n]!, answers[n]!);
    });
  }
  return { levels, cacheHits, requested: missingAt.length, deferred };
}
