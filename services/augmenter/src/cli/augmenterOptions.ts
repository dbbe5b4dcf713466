import type { SeniorityResolver } from "@seniority/seniority-model";
import type { AugmentFlags } from "./AugmentFlags.js";
import type { AugmentStores } from "./openAugmentStores.js";
import type { RunAugmenterOptions } from "../run/RunAugmenterOptions.js";

/** The run the flags ask for: --watch polls, --once and a single file drain what is pending. */
export function augmenterOptions(
  flags: AugmentFlags,
  stores: AugmentStores,
  resolver: SeniorityResolver,
  namespace: string,
  run: Pick<RunAugmenterOptions, "leases" | "signal" | "metrics" | "logger" | "onProgress">,
): RunAugmenterOptions {
  return {
    input: stores.input,
    output: stores.output,
    errors: stores.errors,
    resolver,
    namespace,
    mode: flags.watch === true ? "watch" : "once",
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
    ...run,
  };
}
