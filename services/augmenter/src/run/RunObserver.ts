import type { Logger } from "@seniority/telemetry";
import type { AugmenterMetrics } from "./AugmenterMetrics.js";
import type { FileResult } from "../file/processFile.js";
import { RunSummary, type RunSummaryJson } from "./RunSummary.js";

export interface RunObserverOptions {
  metrics?: AugmenterMetrics;
  logger?: Logger;
  /** Wall time in ms (for the lag of timestamp-named files). Default Date.now. */
  now?: () => number;
  /**
   * Whether leases are configured: only then are they counted (without them every file would
   * count as "acquired"). Default false.
   */
  countLeases?: boolean;
}

/**
 * What a run did, in one place: each file's outcome becomes the run summary, the metrics and the
 * log line together, so the three cannot disagree. The run's other events (leases, bytes, lag, a
 * pass's end, a stop) are turned into metrics and log lines here too.
 */
export class RunObserver {
  private readonly summary = new RunSummary();
  private readonly metrics: AugmenterMetrics | undefined;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;

  constructor(private readonly options: RunObserverOptions = {}) {
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  /** processFile's result: augmented now, or skipped (its output was current). */
  fileDone(result: FileResult): void {
    const { metrics } = this;
    this.summary.add(result);
    if (result.outcome === "skipped") {
      metrics?.files.inc({ outcome: "skipped" });
      return;
    }
    metrics?.files.inc({ outcome: "done" });
    metrics?.lines.inc({ outcome: "ok" }, result.linesOut);
    metrics?.lines.inc({ outcome: "bad" }, result.linesBad);
    metrics?.pairsRequested.inc(result.pairsRequested);
    metrics?.localCacheHits.inc(result.localCacheHits);
    if (result.pending) metrics?.linesPending.inc(result.pending.lines);
    metrics?.fileDuration.observe(result.seconds);
    this.logger?.info(result, "file done");
  }

  /** Files the scan found done already (their outputs current): never opened. */
  alreadyDone(keys: readonly string[]): void {
    for (const key of keys) this.summary.skipped(key);
    this.metrics?.files.inc({ outcome: "skipped" }, keys.length);
  }

  /** Cancelled by the end of the grace period after a stop: nothing of it visible. */
  fileAborted(key: string): void {
    this.summary.aborted(key);
    this.logger?.warn({ file: key }, "file aborted at shutdown (redone next run)");
  }

  fileFailed(key: string, err: unknown): void {
    this.summary.failed(key);
    this.metrics?.files.inc({ outcome: "failed" });
    this.logger?.error({ file: key, err }, "file failed (retried next run)");
  }

  /** Another replica holds the file's lease: skipped for now. */
  fileBusy(key: string): void {
    this.countLease("busy");
    this.logger?.debug({ file: key }, "file leased by another replica: skipped for now");
  }

  /** The file's lease is held: it is in progress until fileEnded(). */
  fileStarted(): void {
    this.countLease("acquired");
    this.metrics?.filesInProgress.inc();
  }

  /** The lease of a file in progress was lost (it is aborted). */
  leaseLost(): void {
    this.countLease("lost");
  }

  /** A file started (fileStarted) is no longer in progress, whatever its outcome. */
  fileEnded(): void {
    this.metrics?.filesInProgress.dec();
  }

  bytesRead(bytes: number): void {
    this.metrics?.bytesRead.inc(bytes);
  }

  bytesWritten(bytes: number): void {
    this.metrics?.bytesWritten.inc(bytes);
  }

  /** The oldest file not done: its name's unix time in seconds (undefined: none, the lag is 0). */
  oldestPending(oldest: number | undefined): void {
    this.metrics?.lag.set(oldest === undefined ? 0 : Math.max(0, this.now() / 1000 - oldest));
  }

  /** Files busy elsewhere are to be tried again (in "once"). */
  recheckingBusy(files: number): void {
    this.logger?.info({ files }, "files leased by other replicas: re-checking them");
  }

  passDone(pass: {
    after: string | undefined;
    pending: number;
    alreadyDone: number;
    watermark: string | undefined;
  }): void {
    this.logger?.info(pass, "pass over the input done");
  }

  /** Not a file's failure: the listing (or reading the checkpoint) failed; "watch" retries it. */
  listingFailed(err: unknown): void {
    this.logger?.error({ err }, "listing the input failed (retried next poll)");
  }

  /** Files in the rare-pair queue now (after a load, a pass or a backfill). */
  rareQueue(files: number): void {
    this.metrics?.rareQueuedFiles.set(files);
  }

  stopping(graceMs: number): void {
    this.logger?.info({ graceMs }, "stopping: no new files; finishing the current ones");
  }

  finish(): RunSummaryJson {
    return this.summary.finish();
  }

  /** What the rare-pair policy deferred in the files done so far. */
  deferred(): RunSummary["deferred"] {
    return this.summary.deferred;
  }

  private countLease(result: "acquired" | "busy" | "lost"): void {
    if (this.options.countLeases === true) this.metrics?.leases.inc({ result });
  }
}
