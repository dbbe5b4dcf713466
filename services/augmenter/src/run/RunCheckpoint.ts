import type { Clock } from "@seniority/clock";
import type { ObjectStore } from "@seniority/object-store";
import type { Logger } from "@seniority/telemetry";
import { CheckpointWriter } from "./CheckpointWriter.js";
import { OutputCheckpoint } from "./OutputCheckpoint.js";

export interface RunCheckpointOptions {
  input: ObjectStore;
  output: ObjectStore;
  /** The cache namespace of the run ("" when not given). */
  namespace?: string;
  /** The run's --start-after: the watermark is persisted only once the checkpoint covers it. */
  startAfter?: string;
  /** Never read: every input is verified against its output (still written). */
  rescan?: boolean;
  /** At most one write per this many ms (CheckpointWriter). */
  intervalMs?: number;
  clock: Clock;
  now: () => number;
  logger?: Logger;
}

/**
 * A run's side of the checkpoint (OutputCheckpoint): read once, at the first pass that asks
 * (retried with the listing in "watch"; never with `rescan`), and written as the watermark moves
 * (throttled, CheckpointWriter) — but only while "every key ≤ K is done" is true: not past a
 * `startAfter` that skipped keys the checkpoint does not already cover.
 */
export class RunCheckpoint {
  private readonly stored: OutputCheckpoint;
  private readonly writer: CheckpointWriter;
  private persist: boolean;
  private read: boolean;

  constructor(private readonly options: RunCheckpointOptions) {
    const { logger } = options;
    this.stored = new OutputCheckpoint(
      options.output,
      { input: options.input.location, namespace: options.namespace ?? "" },
      options.now,
    );
    this.writer = new CheckpointWriter(this.stored, {
      clock: options.clock,
      ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
      ...(logger ? { logger } : {}),
    });
    this.persist = options.startAfter === undefined;
    this.read = options.rescan === true;
  }

  /** The watermark moved to `key` (PendingScanner's checkpoint). */
  update(key: string): void {
    if (this.persist) this.writer.update(key);
  }

  /**
   * The key to resume after, the first time it is asked and a checkpoint of this run's input and
   * namespace is found; otherwise undefined (none, ignored, or read already).
   */
  async resumeKey(signal?: AbortSignal): Promise<string | undefined> {
    if (this.read) return undefined;
    const found = await this.stored.read(signal);
    this.read = true;
    if (found.kind === "ignored") {
      // Another namespace is an expected switch (e.g. from simulated to real levels): info, not warn.
      const level = found.reason.startsWith("namespace") ? "info" : "warn";
      this.options.logger?.[level](
        { reason: found.reason },
        "checkpoint ignored (written for another run): full scan",
      );
    }
    if (found.kind !== "found") return undefined;
    const { startAfter } = this.options;
    if (startAfter !== undefined && found.after >= startAfter) this.persist = true;
    return found.after;
  }

  /** Writes what update() has not written yet. Never rejects. */
  flush(): Promise<void> {
    return this.writer.flush();
  }
}
