import type { FileLease, FileLeases } from "../leases/FileLeases.js";
import { LeaseLostError } from "../leases/LeaseLostError.js";
import { processFile, type ProcessFileOptions } from "../file/processFile.js";
import type { RunObserver } from "./RunObserver.js";

/** "done" (now or already), "busy" (another replica has it) or "not done" (failed, aborted). */
export type FileState = "done" | "busy" | "not done";

/** What every file of a run is processed with; the key, signal and line count are per file. */
export type FileDefaults = Omit<
  ProcessFileOptions,
  "key" | "signal" | "onLines" | "onBytesRead" | "onBytesWritten"
>;

export interface FileRunnerOptions {
  files: FileDefaults;
  leases: FileLeases;
  observer: RunObserver;
  /** Aborts every file in progress (the end of the grace period after a stop). */
  hardStop: AbortSignal;
  /** Told each file done (the scanner's markDone). */
  onDone: (key: string) => void;
}

/**
 * One file of a run, under its lease: processed only while the lease is held (an unreachable lease
 * store fails the file; a lease lost mid-file aborts it, nothing visible), its outcome told to the
 * RunObserver. Never rejects: a failed file is reported and left pending for the next scan.
 */
export class FileRunner {
  constructor(private readonly options: FileRunnerOptions) {}

  /** Processes `key`; `onLines` gets the count of lines read (good and bad) as they go. */
  async process(key: string, onLines: (lines: number) => void): Promise<FileState> {
    const { observer, hardStop } = this.options;
    let lease: FileLease | undefined;
    const onLost = (): void => observer.leaseLost();
    try {
      lease = await this.options.leases.acquire(key);
      if (!lease) {
        observer.fileBusy(key);
        return "busy";
      }
      lease.signal.addEventListener("abort", onLost, { once: true });
      observer.fileStarted();
      const result = await processFile({
        ...this.options.files,
        key,
        signal: AbortSignal.any([hardStop, lease.signal]),
        onLines: ({ ok, bad }) => onLines(ok + bad),
        onBytesRead: (n) => observer.bytesRead(n),
        onBytesWritten: (n) => observer.bytesWritten(n),
      });
      this.options.onDone(key);
      observer.fileDone(result);
      return "done";
    } catch (error) {
      if (hardStop.aborted) {
        observer.fileAborted(key);
        return "not done";
      }
      const lost: unknown = lease?.signal.reason;
      // Taken over by another replica: its business now, like a busy file.
      if (lost instanceof LeaseLostError && lost.kind === "taken") return "busy";
      observer.fileFailed(key, lost ?? error);
      return "not done";
    } finally {
      if (lease) {
        lease.signal.removeEventListener("abort", onLost);
        await lease.release();
        observer.fileEnded();
      }
    }
  }
}
