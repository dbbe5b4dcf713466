import type { Clock } from "@seniority/clock";
import type { FileRunner } from "./FileRunner.js";
import type { Progress } from "./RunAugmenterOptions.js";
import type { RunObserver } from "./RunObserver.js";

/** Files processed at once. Default 2 (the CLI's: DEFAULT_CONCURRENCY, 8). */
export const DEFAULT_POOL_CONCURRENCY = 2;
/** Pause between re-checks of files busy elsewhere, in "once". Default 1 s. */
export const DEFAULT_LEASE_RECHECK_MS = 1_000;

export interface FilePoolOptions {
  runner: Pick<FileRunner, "process">;
  observer: RunObserver;
  clock: Clock;
  /** Default DEFAULT_POOL_CONCURRENCY. */
  concurrency?: number;
  /** Re-check files busy elsewhere until none is left (the run's "once" mode and single files). */
  recheckBusy: boolean;
  /** Default DEFAULT_LEASE_RECHECK_MS. */
  leaseRecheckMs?: number;
  /** The run's stop: no new file is taken after it. */
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/**
 * Processes a list of files `concurrency` at a time, in order, reporting progress; files another
 * replica is busy with are re-checked (when `recheckBusy`) until that replica is done with them,
 * so replicas draining together each end with nothing pending.
 */
export class FilePool {
  constructor(private readonly options: FilePoolOptions) {}

  /**
   * processAll, then (with `recheckBusy`) the files busy elsewhere again every `leaseRecheckMs`
   * until none is left or a stop; returns the keys not done. `progress` is updated as files go.
   */
  async drain(keys: readonly string[], progress: Progress): Promise<string[]> {
    const { signal } = this.options;
    const failed: string[] = [];
    for (
      let round = await this.processAll(keys, progress);
      ;
      round = await this.processAll(round.busy, progress)
    ) {
      const busy = new Set(round.busy);
      failed.push(...round.notDone.filter((key) => !busy.has(key)));
      if (busy.size === 0 || !this.options.recheckBusy || signal?.aborted) return [...failed, ...busy];
      this.options.observer.recheckingBusy(busy.size);
      await this.options.clock
        .sleep(this.options.leaseRecheckMs ?? DEFAULT_LEASE_RECHECK_MS, signal)
        .catch(() => undefined);
      if (signal?.aborted) return [...failed, ...busy];
    }
  }

  /** Processes `keys` in order, `concurrency` at a time; returns the keys not done, and the busy ones. */
  private async processAll(
    keys: readonly string[],
    progress: Progress,
  ): Promise<{ notDone: string[]; busy: string[] }> {
    const { runner, signal } = this.options;
    const notDone = new Set(keys);
    const busy: string[] = [];
    let next = 0;
    const report = (): void => this.options.onProgress?.({ ...progress });
    report();
    const worker = async (): Promise<void> => {
      while (next < keys.length && !signal?.aborted) {
        const key = keys[next++]!;
        const state = await runner.process(key, (n) => {
          progress.lines += n;
          report();
        });
        if (state === "done") notDone.delete(key);
        if (state === "busy") busy.push(key);
        if (state !== "busy") progress.filesFinished++;
        report();
      }
    };
    const workers = Math.min(this.options.concurrency ?? DEFAULT_POOL_CONCURRENCY, keys.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return { notDone: [...notDone], busy };
  }
}
