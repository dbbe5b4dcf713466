import type { Clock } from "@seniority/clock";
import type { ObjectStore } from "@seniority/object-store";
import type { SeniorityResolver } from "@seniority/seniority-model";
import type { Logger } from "@seniority/telemetry";
import type { AugmenterMetrics } from "./AugmenterMetrics.js";
import type { FileLeases } from "../leases/FileLeases.js";
import type { CachedLevels } from "../rare/CachedLevels.js";
import type { RarePairSettings } from "../rare/RarePairPolicy.js";

export interface RunAugmenterOptions {
  input: ObjectStore;
  output: ObjectStore;
  errors: ObjectStore;
  resolver: SeniorityResolver;
  /**
   * The cache namespace `resolver` answers from: written into each output's metadata, and a file
   * whose output carries another one is redone (isOutputCurrent); a checkpoint written for another
   * is ignored. The CLI always gives it.
   */
  namespace?: string;
  /**
   * "once": every pending file, then return. "watch": poll every `intervalMs` until `signal`.
   * "backfill": rewrite every file the rare-pair queue holds (`--backfill-pending`), then return.
   */
  mode: "once" | "watch" | "backfill";
  /** Only these input keys (single-file mode); otherwise every pending `*.jsonl` key. */
  keys?: readonly string[];
  /** Default 30_000 ms. */
  intervalMs?: number;
  /** Files processed at once. Default 2 (the CLI's: DEFAULT_CONCURRENCY, 8). */
  concurrency?: number;
  chunkLines?: number;
  maxLineBytes?: number;
  /**
   * Worker threads parsing lines (ParsePool) beside the thread doing I/O and resolving; 0 parses
   * in this thread. Default 0 (the CLI's default: DEFAULT_PARSE_THREADS).
   */
  parseThreads?: number;
  /** Output bytes of a file held in memory before the rest goes to a temp file (processFile). */
  spillBytes?: number;
  /** Where those temp files go (processFile). Default os.tmpdir() ($TMPDIR). */
  spillDir?: string;
  /** Entries of the local exact-pair LRU shared by all files; 0 disables it. Default 100_000. */
  localCacheEntries?: number;
  /** Consider only input keys after this one. */
  startAfter?: string;
  /**
   * Ignore the checkpoint (`_checkpoint.json` under the output, see OutputCheckpoint): verify every
   * input against its output. It is still written as the run goes. Default false.
   */
  rescan?: boolean;
  /** At most one checkpoint write per this many ms while files finish. Default 5_000. */
  checkpointIntervalMs?: number;
  /** Input keys listed and held at once (PendingScanner). Default 1000. */
  scanPageKeys?: number;
  /**
   * Stop: no new file is taken; files in progress get `graceMs` (default 30_000) to finish, then
   * are aborted (nothing of theirs becomes visible; they are redone next run).
   */
  signal?: AbortSignal;
  graceMs?: number;
  metrics?: AugmenterMetrics;
  logger?: Logger;
  clock?: Clock;
  /** Wall time in ms (for the lag of timestamp-named files). Default Date.now. */
  now?: () => number;
  /**
   * Coordination with other replicas (RedisFileLeases); default none (a single replica). A file
   * leased by another replica is skipped: "watch" retries it next poll; "once" (and single files)
   * re-checks it every `leaseRecheckMs` until that replica is done with it (or its lease expires
   * and this one takes the file over), so replicas draining together each end with nothing pending.
   */
  leases?: FileLeases;
  /** Default 1_000 ms. */
  leaseRecheckMs?: number;
  /**
   * The rare-pair policy (`--rare-pairs defer`; undefined: off, today's behaviour): an uncached
   * pair seen in fewer than `minCount` files within `window` gets `"seniority": null`, its file is
   * queued (PendingQueue, under the output) and rewritten by the backfill after each pass once the
   * window has moved past it (RarePairPolicy.dueKeys).
   */
  rarePairs?: RarePairSettings;
  /** With `rarePairs`: the cache's lookup without inference (embedded mode); cached pairs are never deferred. */
  cachedLevels?: CachedLevels;
  /** Progress of the current pass (for a progress bar). */
  onProgress?: (progress: Progress) => void;
}

/** A pass's progress; `filesTotal` counts the pending files listed so far (it grows as pages come). */
export interface Progress {
  filesTotal: number;
  filesFinished: number;
  lines: number;
}
