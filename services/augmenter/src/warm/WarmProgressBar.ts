import cliProgress from "cli-progress";

/**
 * `seniority warm --progress` on a terminal (stderr): while counting, files and lines read; while
 * sending, pairs sent of the plan with the rate and an ETA. Redraws at most every 100 ms.
 */
export class WarmProgressBar {
  private readonly bar = new cliProgress.SingleBar(
    {
      format: "warm |{bar}| {value}/{total} pairs | {rate} pairs/s | ETA {eta_formatted}",
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  private running = false;
  private startedAt = 0;
  private startedFrom = 0;

  counting(progress: { files: number; lines: number }): void {
    process.stderr.write(`\rwarm: counting … ${progress.files} files, ${progress.lines} lines`);
  }

  sending(progress: { sent: number; total: number }): void {
    const seconds = (performance.now() - this.startedAt) / 1000;
    const rate = seconds > 0 ? Math.round((progress.sent - this.startedFrom) / seconds) : 0;
    if (!this.running) {
      this.running = true;
      this.startedAt = performance.now();
      this.startedFrom = progress.sent;
      process.stderr.write("\n");
      this.bar.start(progress.total, progress.sent, { rate: 0 });
      return;
    }
    this.bar.update(progress.sent, { rate });
  }

  /** Idempotent. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.bar.stop();
  }
}
