import type { FilePool } from "./FilePool.js";
import { oldestTimestamp } from "./oldestTimestamp.js";
import type { PendingScanner } from "./PendingScanner.js";
import type { Progress } from "./RunAugmenterOptions.js";
import type { RunCheckpoint } from "./RunCheckpoint.js";
import type { RunObserver } from "./RunObserver.js";

export interface PendingPassOptions {
  scanner: PendingScanner;
  checkpoint: RunCheckpoint;
  pool: Pick<FilePool, "drain">;
  observer: RunObserver;
  /** The run's stop: the pass ends after the page in progress. */
  signal?: AbortSignal;
}

/**
 * One pass over the input after the watermark, a page at a time: each page's pending files are
 * drained (FilePool) before the next page is listed, and the checkpoint is flushed after each.
 * The lag is the oldest file not done: the pending ones of the current page, or one an earlier
 * page left behind (a streaming minimum, never a list).
 */
export class PendingPass {
  constructor(private readonly options: PendingPassOptions) {}

  /** Rejects when the listing (or the first read of the checkpoint) fails. */
  async run(): Promise<void> {
    const { scanner, checkpoint, pool, observer, signal } = this.options;
    const resume = await checkpoint.resumeKey(signal);
    if (resume !== undefined) scanner.resumeAfter(resume);
    const after = scanner.lastDoneKey;
    const progress: Progress = { filesTotal: 0, filesFinished: 0, lines: 0 };
    let alreadyDone = 0;
    let leftBehind: number | undefined; // oldest timestamp of a file this pass left not done
    try {
      for await (const page of scanner.scan(signal)) {
        observer.alreadyDone(page.newlyDone);
        alreadyDone += page.newlyDone.length;
        const keys = page.pending.map((object) => object.key);
        progress.filesTotal += keys.length;
        observer.oldestPending(oldestTimestamp(keys, leftBehind));
        leftBehind = oldestTimestamp(await pool.drain(keys, progress), leftBehind);
        await checkpoint.flush();
        if (signal?.aborted) break;
      }
    } finally {
      await checkpoint.flush();
    }
    observer.oldestPending(leftBehind);
    observer.passDone({ after, pending: progress.filesTotal, alreadyDone, watermark: scanner.lastDoneKey });
  }
}
