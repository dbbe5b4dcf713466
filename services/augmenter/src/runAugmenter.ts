import { LRUCache } from "lru-cache";
import type { ObjectStore } from "@seniority/object-store";
import type { SeniorityResolver } from "@seniority/seniority-client";
import { systemClock, type Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";
import type { AugmenterMetrics } from "./AugmenterMetrics.js";
import { keyTimestamp } from "./keyTimestamp.js";
import { PendingScanner } from "./PendingScanner.js";
import { processFile, type FileResult } from "./processFile.js";
import type { LocalPairCache } from "./resolveLevels.js";
import { RunSummary, type RunSummaryJson } from "./RunSummary.js";

export interface RunAugmenterOptions {
  input: ObjectStore;
  output: ObjectStore;
  errors: ObjectStore;
  resolver: SeniorityResolver;
  /** "once": every pending file, then return. "watch": poll every `intervalMs` until `signal`. */
  mode: "once" | "watch";
  /** Only these input keys (single-file mode); otherwise every pending `*.jsonl` key. */
  keys?: readonly string[];
  /** Default 30_000 ms. */
  intervalMs?: number;
  /** Files processed at once. Default 2. */
  concurrency?: number;
  chunkLines?: number;
  maxLineBytes?: number;
  /** Entries of the local exact-pair LRU shared by all files; 0 disables it. Default 100_000. */
  localCacheEntries?: number;
  /** Consider only input keys after this one. */
  startAfter?: string;
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
  /** Progress of the current pass (for a progress bar). */
  onProgress?: (progress: { filesTotal: number; filesFinished: number; lines: number }) => void;
}

/**
 * The augmenter's loop: scan for pending files, process them `concurrency` at a time (oldest
 * first), record outcomes; once, or polling. A failed file is logged and left pending (never
 * skipped): the next scan retries it. Resolves with the run's summary after a stop.
 */
export async function runAugmenter(options: RunAugmenterOptions): Promise<RunSummaryJson> {
  const summary = new RunSummary();
  const { logger, metrics, signal } = options;
  const clock = options.clock ?? systemClock;
  const now = options.now ?? Date.now;
  const entries = options.localCacheEntries ?? 100_000;
  const cache: LocalPairCache | undefined =
    entries > 0 ? new LRUCache<string, number>({ max: entries }) : undefined;
  const scanner = new PendingScanner(
    options.input,
    options.output,
    options.startAfter !== undefined ? { startAfter: options.startAfter } : {},
  );
  // Aborted `graceMs` after the stop signal: cancels the files still in progress.
  const hardStop = new AbortController();
  let graceTimer: NodeJS.Timeout | undefined;
  const onStop = (): void => {
    logger?.info(
      { graceMs: options.graceMs ?? 30_000 },
      "stopping: no new files; finishing the current ones",
    );
    graceTimer = setTimeout(() => hardStop.abort(new Error("grace period over")), options.graceMs ?? 30_000);
  };
  if (signal?.aborted) onStop();
  else signal?.addEventListener("abort", onStop, { once: true });

  const updateLag = (pendingKeys: readonly string[]): void => {
    const stamps = pendingKeys.map(keyTimestamp).filter((ts) => ts !== undefined);
    metrics?.lag.set(stamps.length === 0 ? 0 : Math.max(0, now() / 1000 - Math.min(...stamps)));
  };

  /** True when the file is done (or was already). */
  const processOne = async (key: string, onLines: (n: number) => void): Promise<boolean> => {
    metrics?.filesInProgress.inc();
    try {
      const result: FileResult = await processFile({
        input: options.input,
        output: options.output,
        errors: options.errors,
        key,
        resolver: options.resolver,
        ...(cache ? { cache } : {}),
        ...(options.chunkLines !== undefined ? { chunkLines: options.chunkLines } : {}),
        ...(options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {}),
        signal: hardStop.signal,
        onLines: ({ ok, bad }) => onLines(ok + bad),
        onBytesRead: (n) => metrics?.bytesRead.inc(n),
        onBytesWritten: (n) => metrics?.bytesWritten.inc(n),
      });
      scanner.markDone(key);
      summary.add(result);
      if (result.outcome === "skipped") {
        metrics?.files.inc({ outcome: "skipped" });
        return true;
      }
      metrics?.files.inc({ outcome: "done" });
      metrics?.lines.inc({ outcome: "ok" }, result.linesOut);
      metrics?.lines.inc({ outcome: "bad" }, result.linesBad);
      metrics?.pairsRequested.inc(result.pairsRequested);
      metrics?.localCacheHits.inc(result.localCacheHits);
      metrics?.fileDuration.observe(result.seconds);
      logger?.info(result, "file done");
      return true;
    } catch (error) {
      if (hardStop.signal.aborted) {
        summary.aborted(key);
        logger?.warn({ file: key }, "file aborted at shutdown (redone next run)");
        return false;
      }
      summary.failed(key);
      metrics?.files.inc({ outcome: "failed" });
      logger?.error({ file: key, err: error }, "file failed (retried next run)");
      return false;
    } finally {
      metrics?.filesInProgress.dec();
    }
  };

  /** Processes `keys` in order, `concurrency` at a time; returns the keys not done. */
  const processAll = async (keys: readonly string[]): Promise<string[]> => {
    const notDone = new Set(keys);
    let next = 0;
    let finished = 0;
    let lines = 0;
    const report = (): void =>
      options.onProgress?.({ filesTotal: keys.length, filesFinished: finished, lines });
    report();
    const worker = async (): Promise<void> => {
      while (next < keys.length && !signal?.aborted) {
        const key = keys[next++]!;
        const done = await processOne(key, (n) => {
          lines += n;
          report();
        });
        if (done) notDone.delete(key);
        finished++;
        report();
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 2, keys.length) }, worker));
    return [...notDone];
  };

  try {
    if (options.keys) {
      await processAll(options.keys);
      return summary.finish();
    }
    for (;;) {
      let scanned;
      try {
        scanned = await scanner.scan(signal);
      } catch (error) {
        if (signal?.aborted) return summary.finish();
        if (options.mode === "once") throw error;
        logger?.error({ err: error }, "listing the input failed (retried next poll)");
      }
      if (scanned) {
        const { pending, newlyDone } = scanned;
        for (const key of newlyDone) summary.skipped(key);
        metrics?.files.inc({ outcome: "skipped" }, newlyDone.length);
        updateLag(pending.map((object) => object.key));
        logger?.info(
          { pending: pending.length, alreadyDone: newlyDone.length, after: scanner.lastDoneKey },
          "scanned input",
        );
        updateLag(await processAll(pending.map((object) => object.key)));
      }
      if (options.mode === "once" || signal?.aborted) return summary.finish();
      await clock.sleep(options.intervalMs ?? 30_000, signal).catch(() => undefined);
      if (signal?.aborted) return summary.finish();
    }
  } finally {
    clearTimeout(graceTimer);
    signal?.removeEventListener("abort", onStop);
  }
}
