import cliProgress from "cli-progress";

/**
 * A terminal progress bar for `--once` (stderr): files done of pending, lines/s, ETA by files.
 * Redraws at most every 100 ms (cli-progress's throttle).
 */
export class ProgressBar {
  private readonly bar = new cliProgress.SingleBar(
    {
      format: "augment |{bar}| {value}/{total} files | {lines} lines | {rate} lines/s | ETA {etaText}",
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  private readonly started = performance.now();
  private running = false;

  update(progress: { filesTotal: number; filesFinished: number; lines: number }): void {
    const seconds = (performance.now() - this.started) / 1000;
    const { filesTotal, filesFinished } = progress;
    // By files: the average time a finished file took, times the files left ("?" before the first).
    const eta = filesFinished === 0 ? undefined : (seconds / filesFinished) * (filesTotal - filesFinished);
    const payload = {
      lines: progress.lines,
      rate: seconds > 0 ? Math.round(progress.lines / seconds) : 0,
      etaText: eta === undefined ? "?" : `${Math.round(eta)}s`,
    };
    if (!this.running) {
      this.running = true;
      this.bar.start(progress.filesTotal, progress.filesFinished, payload);
      return;
    }
    this.bar.setTotal(progress.filesTotal);
    this.bar.update(progress.filesFinished, payload);
  }

  /** Idempotent. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.bar.stop();
  }
}
