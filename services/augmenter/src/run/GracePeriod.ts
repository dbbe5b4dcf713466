import { setMaxListeners } from "node:events";
import type { Clock } from "@seniority/clock";

/** Time files in progress get to finish after a stop. Default 30 s. */
export const DEFAULT_GRACE_MS = 30_000;

export interface GracePeriodOptions {
  clock: Clock;
  /** Default DEFAULT_GRACE_MS. */
  graceMs?: number;
  /** Listeners `signal` may carry at once (one per file in progress) without a warning. */
  maxListeners: number;
  /** Told once, when the stop comes. */
  onStop?: (graceMs: number) => void;
}

/**
 * A stop in two steps: once `stop` aborts, the run takes no new file, and `graceMs` later (on the
 * injected clock) `signal` aborts, cancelling the files still in progress. start() watches `stop`
 * (a stop that came already counts); close() ends the grace sleep and the watch, is idempotent,
 * and leaves nothing behind.
 */
export class GracePeriod {
  private readonly hardStop = new AbortController();
  // Ends the grace sleep when the run returns first.
  private readonly cancel = new AbortController();
  private readonly graceMs: number;
  private readonly onStop = (): void => {
    this.options.onStop?.(this.graceMs);
    void this.options.clock.sleep(this.graceMs, this.cancel.signal).then(
      () => this.hardStop.abort(new Error("grace period over")),
      () => undefined,
    );
  };

  constructor(
    private readonly stop: AbortSignal | undefined,
    private readonly options: GracePeriodOptions,
  ) {
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    setMaxListeners(options.maxListeners, this.hardStop.signal);
  }

  /** Aborted `graceMs` after the stop: cancels the files still in progress. */
  get signal(): AbortSignal {
    return this.hardStop.signal;
  }

  start(): void {
    if (this.stop?.aborted) this.onStop();
    else this.stop?.addEventListener("abort", this.onStop, { once: true });
  }

  close(): void {
    this.cancel.abort();
    this.stop?.removeEventListener("abort", this.onStop);
  }
}
