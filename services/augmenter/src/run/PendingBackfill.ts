import type { FileRunner, FileState } from "./FileRunner.js";
import type { RarePairPolicy } from "../rare/RarePairPolicy.js";

/**
 * The backfill's side of one file: processed by `runner` (whose files rewrite pending outputs in
 * full: processFile's `rewritePending`, through the same atomic puts as every output), and only
 * once the rewritten output is in place is the file's marker deleted. A crash between the two
 * leaves the marker: the next backfill finds the output final (no pending lines) and only
 * deletes the marker; a crash before leaves the old output and the marker: it is rewritten to the
 * same bytes. A marker that cannot be deleted leaves the file "not done" (tried again later).
 */
export class PendingBackfill implements Pick<FileRunner, "process"> {
  constructor(
    private readonly runner: Pick<FileRunner, "process">,
    private readonly policy: RarePairPolicy,
    private readonly signal?: AbortSignal,
  ) {}

  async process(key: string, onLines: (lines: number) => void): Promise<FileState> {
    const state = await this.runner.process(key, onLines);
    if (state !== "done") return state;
    try {
      await this.policy.queue.delete(key, this.signal);
    } catch {
      return "not done";
    }
    this.policy.forget(key);
    return "done";
  }
}
