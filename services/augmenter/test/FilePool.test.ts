import { ManualClock } from "@seniority/clock";
import { describe, expect, it, vi } from "vitest";
import { FilePool, type FilePoolOptions } from "../src/run/FilePool.js";
import type { FileState } from "../src/run/FileRunner.js";
import type { Progress } from "../src/run/RunAugmenterOptions.js";
import { RunObserver } from "../src/run/RunObserver.js";

/** A runner answering `states[key]` (one per attempt, the last one repeated), recording each round of calls. */
function scriptedRunner(states: Record<string, FileState[]>, lines = 10) {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const attempts = new Map<string, number>();
  return {
    calls,
    get maxInFlight() {
      return maxInFlight;
    },
    async process(key: string, onLines: (n: number) => void): Promise<FileState> {
      calls.push(key);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await Promise.resolve();
      inFlight--;
      const attempt = attempts.get(key) ?? 0;
      attempts.set(key, attempt + 1);
      const script = states[key] ?? ["done"];
      const state = script[Math.min(attempt, script.length - 1)]!;
      if (state !== "busy") onLines(lines); // a busy file is never read
      return state;
    },
  };
}

function pool(runner: FilePoolOptions["runner"], options: Partial<FilePoolOptions> = {}) {
  const progress: Progress[] = [];
  const filePool = new FilePool({
    runner,
    observer: new RunObserver(),
    clock: new ManualClock(),
    recheckBusy: false,
    onProgress: (p) => progress.push(p),
    ...options,
  });
  return { filePool, progress };
}

const start = (): Progress => ({ filesTotal: 0, filesFinished: 0, lines: 0 });

describe("FilePool", () => {
  it("processes the keys in order, `concurrency` at a time, and returns the ones not done", async () => {
    const runner = scriptedRunner({ b: ["not done"], d: ["not done"] });
    const { filePool, progress } = pool(runner, { concurrency: 2 });
    const notDone = await filePool.drain(["a", "b", "c", "d", "e"], { ...start(), filesTotal: 5 });
    expect(runner.calls).toEqual(["a", "b", "c", "d", "e"]);
    expect(runner.maxInFlight).toBe(2);
    expect(notDone).toEqual(["b", "d"]);
    expect(progress.at(-1)).toEqual({ filesTotal: 5, filesFinished: 5, lines: 50 });
    expect(progress[0]).toEqual({ filesTotal: 5, filesFinished: 0, lines: 0 });
  });

  it("without recheckBusy, returns a busy file after one round", async () => {
    const runner = scriptedRunner({ b: ["busy", "done"] });
    const { filePool, progress } = pool(runner);
    expect(await filePool.drain(["a", "b"], { ...start(), filesTotal: 2 })).toEqual(["b"]);
    expect(runner.calls).toEqual(["a", "b"]);
    // A busy file is not finished.
    expect(progress.at(-1)).toEqual({ filesTotal: 2, filesFinished: 1, lines: 10 });
  });

  it("with recheckBusy, tries busy files again every leaseRecheckMs on the clock until they are done", async () => {
    const clock = new ManualClock();
    const runner = scriptedRunner({ b: ["busy", "busy", "done"], c: ["busy", "not done"] });
    const { filePool } = pool(runner, { clock, recheckBusy: true, leaseRecheckMs: 1_000 });
    let result: string[] | undefined;
    const drained = filePool.drain(["a", "b", "c"], start()).then((keys) => (result = keys));
    await vi.waitFor(() => expect(clock.pending).toBe(1));
    expect(runner.calls).toEqual(["a", "b", "c"]);
    await clock.advance(999);
    expect(runner.calls).toEqual(["a", "b", "c"]);
    await clock.advance(1);
    await vi.waitFor(() => expect(clock.pending).toBe(1));
    expect(runner.calls).toEqual(["a", "b", "c", "b", "c"]);
    expect(result).toBeUndefined();
    await clock.advance(1_000);
    await drained;
    expect(runner.calls).toEqual(["a", "b", "c", "b", "c", "b"]);
    expect(result).toEqual(["c"]);
    expect(clock.pending).toBe(0);
  });

  it("takes no new file once the stop signal aborts, and does not re-check busy ones", async () => {
    const stop = new AbortController();
    const runner = scriptedRunner({ a: ["busy"] });
    const process = runner.process.bind(runner);
    const stopping = {
      process: async (key: string, onLines: (n: number) => void) => {
        const state = await process(key, onLines);
        stop.abort();
        return state;
      },
    };
    const { filePool } = pool(stopping, { concurrency: 1, recheckBusy: true, signal: stop.signal });
    expect(await filePool.drain(["a", "b", "c"], start())).toEqual(["b", "c", "a"]);
    expect(runner.calls).toEqual(["a"]);
  });
});
