import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export type FileOutcome = "done" | "failed" | "skipped";

/** The augmenter's Prometheus metrics, on the service's own registry. */
export class AugmenterMetrics {
  readonly lines: Counter<"outcome">;
  readonly files: Counter<"outcome">;
  readonly bytesRead: Counter;
  readonly bytesWritten: Counter;
  readonly fileDuration: Histogram;
  readonly pairsRequested: Counter;
  readonly localCacheHits: Counter;
  readonly lag: Gauge;
  readonly filesInProgress: Gauge;
  readonly leases: Counter<"result">;
  readonly linesPending: Counter;
  readonly rareQueuedFiles: Gauge;

  constructor(readonly registry: Registry) {
    const registers = [registry];
    this.lines = new Counter({
      name: "augmenter_lines_total",
      help: "Input lines by outcome: ok (written with a level) or bad (to the errors object).",
      labelNames: ["outcome"],
      registers,
    });
    this.files = new Counter({
      name: "augmenter_files_total",
      help: "Input files by outcome: done, failed (retried later) or skipped (already done).",
      labelNames: ["outcome"],
      registers,
    });
    this.bytesRead = new Counter({
      name: "augmenter_bytes_read_total",
      help: "Bytes read from input objects.",
      registers,
    });
    this.bytesWritten = new Counter({
      name: "augmenter_bytes_written_total",
      help: "Bytes written to output and errors objects.",
      registers,
    });
    this.fileDuration = new Histogram({
      name: "augmenter_file_duration_seconds",
      help: "Time to process one file end to end (files that were done).",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.pairsRequested = new Counter({
      name: "augmenter_pairs_requested_total",
      help: "Distinct pairs asked of the resolver (proxy) after the local cache.",
      registers,
    });
    this.localCacheHits = new Counter({
      name: "augmenter_local_cache_hits_total",
      help: "Distinct pairs of a chunk answered by the local LRU.",
      registers,
    });
    this.lag = new Gauge({
      name: "augmenter_lag_seconds",
      help: "Age of the oldest pending input file, from its timestamp name (0 when none).",
      registers,
    });
    this.filesInProgress = new Gauge({
      name: "augmenter_files_in_progress",
      help: "Files being processed now.",
      registers,
    });
    this.leases = new Counter({
      name: "augmenter_leases_total",
      help: "File leases (with --leases): acquired, busy (held by another replica) or lost mid-file.",
      labelNames: ["result"],
      registers,
    });
    this.linesPending = new Counter({
      name: "augmenter_lines_pending_total",
      help: 'Lines written with "seniority": null by --rare-pairs defer (their files are queued for the backfill).',
      registers,
    });
    this.rareQueuedFiles = new Gauge({
      name: "augmenter_rare_queued_files",
      help: "Files in the rare-pair queue known to this process (lines pending until the backfill rewrites them).",
      registers,
    });
    for (const result of ["acquired", "busy", "lost"]) this.leases.inc({ result }, 0);
    for (const outcome of ["ok", "bad"]) this.lines.inc({ outcome }, 0);
    for (const outcome of ["done", "failed", "skipped"]) this.files.inc({ outcome }, 0);
  }
}
