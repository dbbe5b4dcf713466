import type { Logger } from "@seniority/telemetry";

/** Default: at most one progress log line every 10 s (plus the last one of each phase). */
export const WARM_LOG_INTERVAL_MS = 10_000;

/** `seniority warm` progress as log lines, when no progress bar is shown (not a terminal). */
export class WarmLog {
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = WARM_LOG_INTERVAL_MS,
  ) {}

  counting(progress: { files: number; lines: number; badLines: number; tracked: number }): void {
    if (this.due()) this.logger.info(progress, "warm: counting pairs");
  }

  sending(progress: { sent: number; total: number }): void {
    if (this.due() || progress.sent === progress.total) this.logger.info(progress, "warm: sending pairs");
  }

  private due(): boolean {
    const now = this.now();
    if (now - this.lastAt < this.intervalMs) return false;
    this.lastAt = now;
    return true;
  }
}
