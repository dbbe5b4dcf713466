import { setMaxListeners } from "node:events";
import type { ObjectStore } from "@seniority/object-store";
import type { SeniorityResolver } from "@seniority/seniority-model";
import { systemClock, type Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";
import type { AugmenterMetrics } from "./AugmenterMetrics.js";
import { CheckpointWriter } from "./CheckpointWriter.js";
import type { FileLease, FileLeases } from "../leases/FileLeases.js";
import { LeaseLostError } from "../leases/LeaseLostError.js";
import { NoLeases } from "../leases/NoLeases.js";
import { oldestTimestamp } from "./oldestTimestamp.js";
import { OutputCheckpoint } from "./OutputCheckpoint.js";
import { PendingScanner } from "./PendingScanner.js";
import { processFile, type FileResult } from "../file/processFile.js";
import { PairLevelCache } from "../file/PairLevelCache.js";
import { ParsePool } from "../parse/ParsePool.js";
import type { LocalPairCache } from "../file/resolveLevels.js";
import type { RunSummaryJson } from "./RunSummary.js";
import { RunObserver } from "./RunObserver.js";

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
  /** "once": every pending file, then return. "watch": poll every `intervalMs` until `signal`. */
  mode: "once" | "watch";
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
  /** Progress of the current pass (for a progress bar). */
  onProgress?: (progress: Progress) => void;
}

/** A pass's progress; `filesTotal` counts the pending files listed so far (it grows as pages come). */
interface Progress {
  filesTotal: number;
  filesFinished: number;
  lines: number;
}

type FileState = "done" | "busy" | "not done";

/**
 * The augmenter's loop: scan for pending files, process them `concurrency` at a time (oldest
 * first), record outcomes; once, or polling. A failed file is logged and left pending (never
 * skipped): the next scan retries it. With leases, a file is processed only under its lease; an
 * unreachable lease store fails the file, and a lease lost mid-file aborts it (nothing visible).
 * Resolves with the run's summary after a stop. The listing goes a page at a time (bounded memory
 * for any backlog), and the watermark is persisted as a checkpoint beside the outputs, read at
 * start: a run looks only at the files after it.
 */
export async function runAugmenter(options: RunAugmenterOptions): Promise<RunSummaryJson> {
  const { logger, metrics, signal } = options;
  const observer = new RunObserver(metrics, logger);
  const clock = options.clock ?? systemClock;
  const now = options.now ?? Date.now;
  const leases = options.leases ?? new NoLeases();
  // Counted only when leases are configured (without them every file would count as "acquired").
  const countLease = (result: "acquired" | "busy" | "lost"): void => {
    if (options.leases) metrics?.leases.inc({ result });
  };
  const parser =
    (options.parseThreads ?? 0) > 0 ? new ParsePool({ threads: options.parseThreads! }) : undefined;
  const entries = options.localCacheEntries ?? 100_000;
  const cache: LocalPairCache | undefined = entries > 0 ? new PairLevelCache(entries) : undefined;
  const stored = new OutputCheckpoint(
    options.output,
    { input: options.input.location, namespace: options.namespace ?? "" },
    now,
  );
  const checkpoint = new CheckpointWriter(stored, {
    clock,
    ...(options.checkpointIntervalMs !== undefined ? { intervalMs: options.checkpointIntervalMs } : {}),
    ...(logger ? { logger } : {}),
  });
  const scanner = new PendingScanner(options.input, options.output, {
    ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
    ...(options.scanPageKeys !== undefined ? { pageKeys: options.scanPageKeys } : {}),
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
    checkpoint: {
      update: (key) => {
        if (persist) checkpoint.update(key);
      },
    },
  });
  // Persisted only while true: "every key ≤ K is done" would be false past a --start-after that
  // skipped keys the checkpoint does not already cover.
  let persist = options.startAfter === undefined;
  // Read once, at the first scan (retried with the listing in "watch"); not at all with rescan.
  let checkpointRead = options.rescan === true;
  const readCheckpoint = async (): Promise<void> => {
    if (checkpointRead) return;
    const found = await stored.read(signal);
    checkpointRead = true;
    if (found.kind === "found") {
      scanner.resumeAfter(found.after);
      if (options.startAfter !== undefined && found.after >= options.startAfter) persist = true;
    }
    if (found.kind === "ignored") {
      // Another namespace is an expected switch (e.g. from simulated to real levels): info, not warn.
      const level = found.reason.startsWith("namespace") ? "info" : "warn";
      logger?.[level]({ reason: found.reason }, "checkpoint ignored (written for another run): full scan");
    }
  };
  // Aborted `graceMs` after the stop signal: cancels the files still in progress.
  const hardStop = new AbortController();
  // Each file in progress listens on it (through AbortSignal.any): bounded by `concurrency`.
  setMaxListeners((options.concurrency ?? 2) + 10, hardStop.signal);
  // Ends the grace sleep when the run returns first.
  const graceCancel = new AbortController();
  const onStop = (): void => {
    logger?.info(
      { graceMs: options.graceMs ?? 30_000 },
      "stopping: no new files; finishing the current ones",
    );
    void clock.sleep(options.graceMs ?? 30_000, graceCancel.signal).then(
      () => hardStop.abort(new Error("grace period over")),
      () => undefined,
    );
  };
  if (signal?.aborted) onStop();
  else signal?.addEventListener("abort", onStop, { once: true });

  const setLag = (oldest: number | undefined): void => {
    metrics?.lag.set(oldest === undefined ? 0 : Math.max(0, now() / 1000 - oldest));
  };

  /** "done" (now or already), "busy" (another replica has it) or "not done" (failed, aborted). */
  const processOne = async (key: string, onLines: (n: number) => void): Promise<FileState> => {
    let lease: FileLease | undefined;
    const onLost = (): void => countLease("lost");
    try {
      lease = await leases.acquire(key);
      if (!lease) {
        countLease("busy");
        logger?.debug({ file: key }, "file leased by another replica: skipped for now");
        return "busy";
      }
      countLease("acquired");
      lease.signal.addEventListener("abort", onLost, { once: true });
      metrics?.filesInProgress.inc();
      const result: FileResult = await processFile({
        input: options.input,
        output: options.output,
        errors: options.errors,
        key,
        resolver: options.resolver,
        ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
        ...(cache ? { cache } : {}),
        ...(options.chunkLines !== undefined ? { chunkLines: options.chunkLines } : {}),
        ...(options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {}),
        ...(options.spillBytes !== undefined ? { spillBytes: options.spillBytes } : {}),
        ...(options.spillDir !== undefined ? { spillDir: options.spillDir } : {}),
        ...(parser ? { parser } : {}),
        signal: AbortSignal.any([hardStop.signal, lease.signal]),
        onLines: ({ ok, bad }) => onLines(ok + bad),
        onBytesRead: (n) => metrics?.bytesRead.inc(n),
        onBytesWritten: (n) => metrics?.bytesWritten.inc(n),
      });
      scanner.markDone(key);
      observer.fileDone(result);
      return "done";
    } catch (error) {
      if (hardStop.signal.aborted) {
        observer.fileAborted(key);
        return "not done";
      }
      const lost: unknown = lease?.signal.reason;
      // Taken over by another replica: its business now, like a busy file.
      if (lost instanceof LeaseLostError && lost.kind === "taken") return "busy";
      observer.fileFailed(key, lost ?? error);
      return "not done";
    } finally {
      if (lease) {
        lease.signal.removeEventListener("abort", onLost);
        await lease.release();
        metrics?.filesInProgress.dec();
      }
    }
  };

  /** Processes `keys` in order, `concurrency` at a time; returns the keys not done, and the busy ones. */
  const processAll = async (
    keys: readonly string[],
    progress: Progress,
  ): Promise<{ notDone: string[]; busy: string[] }> => {
    const notDone = new Set(keys);
    const busy: string[] = [];
    let next = 0;
    const report = (): void => options.onProgress?.({ ...progress });
    report();
    const worker = async (): Promise<void> => {
      while (next < keys.length && !signal?.aborted) {
        const key = keys[next++]!;
        const state = await processOne(key, (n) => {
          progress.lines += n;
          report();
        });
        if (state === "done") notDone.delete(key);
        if (state === "busy") busy.push(key);
        if (state !== "busy") progress.filesFinished++;
        report();
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 2, keys.length) }, worker));
    return { notDone: [...notDone], busy };
  };

  /**
   * processAll, then (in "once") the files busy elsewhere again every `leaseRecheckMs` until none
   * is left or a stop; returns the keys not done.
   */
  const drain = async (keys: readonly string[], progress: Progress): Promise<string[]> => {
    const failed: string[] = [];
    for (let round = await processAll(keys, progress); ; round = await processAll(round.busy, progress)) {
      const busy = new Set(round.busy);
      failed.push(...round.notDone.filter((key) => !busy.has(key)));
      if (busy.size === 0 || options.mode !== "once" || signal?.aborted) return [...failed, ...busy];
      logger?.info({ files: busy.size }, "files leased by other replicas: re-checking them");
      await clock.sleep(options.leaseRecheckMs ?? 1_000, signal).catch(() => undefined);
      if (signal?.aborted) return [...failed, ...busy];
    }
  };

  /**
   * One pass over the input after the watermark, a page at a time: each page's pending files are
   * drained before the next page is listed. The lag is the oldest file not done: the pending ones
   * of the current page, or one an earlier page left behind (a streaming minimum, never a list).
   */
  const pass = async (): Promise<void> => {
    await readCheckpoint();
    const after = scanner.lastDoneKey;
    const progress: Progress = { filesTotal: 0, filesFinished: 0, lines: 0 };
    let alreadyDone = 0;
    let leftBehind: number | undefined; // oldest timestamp of a file this pass left not done
    try {
      for await (const page of scanner.scan(signal)) {
        observer.alreadyDone(page.newlyDone);
        alreadyDone += page.newlyDone.length;
        const keys = page.pending.map((object) => object.key);
        progress.filesTotal += keys.length;
        setLag(oldestTimestamp(keys, leftBehind));
        leftBehind = oldestTimestamp(await drain(keys, progress), leftBehind);
        await checkpoint.flush();
        if (signal?.aborted) break;
      }
    } finally {
      await checkpoint.flush();
    }
    setLag(leftBehind);
    logger?.info(
      { after, pending: progress.filesTotal, alreadyDone, watermark: scanner.lastDoneKey },
      "pass over the input done",
    );
  };

  try {
    if (options.keys) {
      await drain(options.keys, { filesTotal: options.keys.length, filesFinished: 0, lines: 0 });
      return observer.finish();
    }
    for (;;) {
      try {
        await pass();
      } catch (error) {
        if (signal?.aborted) return observer.finish();
        if (options.mode === "once") throw error;
        logger?.error({ err: error }, "listing the input failed (retried next poll)");
      }
      if (options.mode === "once" || signal?.aborted) return observer.finish();
      await clock.sleep(options.intervalMs ?? 30_000, signal).catch(() => undefined);
      if (signal?.aborted) return observer.finish();
    }
  } finally {
    graceCancel.abort();
    signal?.removeEventListener("abort", onStop);
    await parser?.close();
  }
}
