import type { SeniorityPair } from "@seniority/seniority-model";

/**
 * Asks the cache which pairs it holds without inferring any (the embedded cache's lookup): a
 * cached pair costs no model call, so it is never deferred. Undefined: not known (a proxy).
 */
export type CachedLevels = (
  pairs: readonly SeniorityPair[],
  signal?: AbortSignal,
) => Promise<(number | undefined)[]>;
