import type { SeniorityResolver } from "@seniority/seniority-model";
import type { AugmentFlags } from "./AugmentFlags.js";
import type { AugmentStores } from "./openAugmentStores.js";
import type { CachedLevels } from "../rare/CachedLevels.js";
import { DEFAULT_RARE_MAX_PAIRS, DEFAULT_RARE_MIN_COUNT } from "../rare/RarePairPolicy.js";
import { DEFAULT_RARE_WINDOW } from "../rare/RareWindow.js";
import type { RunAugmenterOptions } from "../run/RunAugmenterOptions.js";

/**
 * The run the flags ask for: --watch polls, --once and a single file drain what is pending,
 * --backfill-pending rewrites the rare-pair queue's files. `cachedLevels`: the embedded cache's
 * lookup, for --rare-pairs defer.
 */
export function augmenterOptions(
  flags: AugmentFlags,
  stores: AugmentStores,
  resolver: SeniorityResolver,
  namespace: string,
  cachedLevels: CachedLevels | undefined,
  run: Pick<RunAugmenterOptions, "leases" | "signal" | "metrics" | "logger" | "onProgress">,
): RunAugmenterOptions {
  return {
    input: stores.input,
    output: stores.output,
    errors: stores.errors,
    resolver,
    namespace,
    mode: flags.watch === true ? "watch" : flags.backfillPending === true ? "backfill" : "once",
    ...(stores.key !== undefined ? { keys: [stores.key] } : {}),
    intervalMs: flags.interval,
    concurrency: flags.concurrency,
    chunkLines: flags.chunkLines,
    maxLineBytes: flags.maxLineBytes,
    localCacheEntries: flags.localCacheEntries,
    parseThreads: flags.parseThreads,
    spillBytes: flags.spillBytes,
    ...(flags.spillDir !== undefined ? { spillDir: flags.spillDir } : {}),
    ...(flags.startAfter !== undefined ? { startAfter: flags.startAfter } : {}),
    rescan: flags.rescan === true,
    graceMs: flags.grace,
    ...(flags.rarePairs === "defer"
      ? {
          rarePairs: {
            minCount: flags.rareMinCount ?? DEFAULT_RARE_MIN_COUNT,
            window: flags.rareWindow ?? DEFAULT_RARE_WINDOW,
            maxPairs: flags.rareMaxPairs ?? DEFAULT_RARE_MAX_PAIRS,
          },
          ...(cachedLevels ? { cachedLevels } : {}),
        }
      : {}),
    ...run,
  };
}
