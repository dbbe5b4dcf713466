import { setMaxListeners } from "node:events";
import type { Logger } from "@seniority/telemetry";

/** Listeners the run's stop signal may carry at once without a MaxListenersExceededWarning. */
const STOP_SIGNAL_LISTENERS = 200;

/**
 * SIGTERM and SIGINT as one AbortSignal (the run's stop), listened for between listen() and
 * close() only (close() is idempotent, and leaves no listener on the process).
 */
export class StopSignals {
  private readonly stop = new AbortController();
  private readonly onTerm = this.onSignal("SIGTERM");
  private readonly onInt = this.onSignal("SIGINT");

  constructor(private readonly logger: Logger) {
    // Every S3 call of a scan listens on it (the scanner's 16 HEADs at once, the listing, each file
    // in progress and its puts): bounded, but past Node's default warning threshold of 10.
    setMaxListeners(STOP_SIGNAL_LISTENERS, this.stop.signal);
  }

  get signal(): AbortSignal {
    return this.stop.signal;
  }

  listen(): void {
    process.once("SIGTERM", this.onTerm);
    process.once("SIGINT", this.onInt);
  }

  close(): void {
    process.off("SIGTERM", this.onTerm);
    process.off("SIGINT", this.onInt);
  }

  private onSignal(name: string): () => void {
    return () => {
      this.logger.info({ signal: name }, "signal received");
      this.stop.abort(new Error(name));
    };
  }
}
