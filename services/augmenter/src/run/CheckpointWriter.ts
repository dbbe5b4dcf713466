import { systemClock, type Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";
import type { OutputCheckpoint } from "./OutputCheckpoint.js";

/** Default: at most one checkpoint write every 5 s while files finish (plus one at each pass end). */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 5_000;

/**
 * Persists the watermark as it advances without a write per file: update() is cheap and writes
 * only when `intervalMs` has passed since the last write (one write in flight at most; the newest
 * key wins); flush() writes what is left. A failed write is logged and retried by a later one: the
 * checkpoint only saves work, so losing one costs a longer scan, never a file.
 */
export class CheckpointWriter {
  private latest: string | undefined;
  private written: string | undefined;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  // Writes run one after another (so the stored key only grows); `queued` while one is pending.
  private chain: Promise<void> = Promise.resolve();
  private queued = false;

  constructor(
    private readonly checkpoint: OutputCheckpoint,
    private readonly options: { intervalMs?: number; clock?: Clock; logger?: Logger } = {},
  ) {}

  /** The watermark moved to `key` (keys only grow). */
  update(key: string): void {
    this.latest = key;
    const clock = this.options.clock ?? systemClock;
    const due = clock.now() - this.lastWriteAt >= (this.options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS);
    if (!due || this.queued) return;
    this.queued = true;
    this.chain = this.chain.then(() => this.writeLatest()).finally(() => (this.queued = false));
  }

  /** Waits for a write in flight, then writes the newest key if it is not written yet. Never rejects. */
  async flush(): Promise<void> {
    this.chain = this.chain.then(() => this.writeLatest());
    await this.chain;
  }

  private async writeLatest(): Promise<void> {
    const key = this.latest;
    if (key === undefined || key === this.written) return;
    this.lastWriteAt = (this.options.clock ?? systemClock).now();
    try {
      await this.checkpoint.write(key);
      this.written = key;
    } catch (error) {
      this.options.logger?.warn({ err: error, after: key }, "checkpoint write failed (retried later)");
    }
  }
}
