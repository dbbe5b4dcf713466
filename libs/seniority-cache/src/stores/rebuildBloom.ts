import { setImmediate as nextTurn } from "node:timers/promises";
import type { Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";
import type { StoreScan } from "./StoreScan.js";

export interface RebuildBloomOptions {
  /** Keys per scan batch. */
  batchSize: number;
  /** The rebuild gives up (rejects with BloomRebuildTimeout) after this long, ms. */
  timeoutMs: number;
  /** A progress line is logged at most this often, ms. */
  progressEveryMs: number;
  clock: Clock;
  /** Aborted on close: the scan stops and the rebuild rejects with the signal's reason. */
  signal: AbortSignal;
  logger?: Logger;
  /** After each batch: keys read so far and seconds elapsed. */
  onProgress?: (keys: number, seconds: number) => void;
}

/** The rebuild ran past --bloom-rebuild-timeout. */
export class BloomRebuildTimeout extends Error {
  constructor(
    readonly keys: number,
    timeoutMs: number,
  ) {
    super(
      `the filter's rebuild read ${keys} keys in ${timeoutMs} ms and was stopped (--bloom-rebuild-timeout)`,
    );
    this.name = "BloomRebuildTimeout";
  }
}

/**
 * Reads every key of `scan` into `add`, a batch at a time, yielding to the event loop between
 * batches (requests are served meanwhile). Resolves to the keys read; rejects with
 * BloomRebuildTimeout past `timeoutMs` (checked while a batch is awaited, too), with the signal's
 * reason when aborted, or with the store's error. Whatever the outcome, the scan is closed.
 */
export async function rebuildBloom(
  scan: StoreScan,
  add: (key: Buffer) => void,
  options: RebuildBloomOptions,
): Promise<number> {
  const { clock, signal, timeoutMs } = options;
  const started = clock.now();
  const seconds = (): number => (clock.now() - started) / 1000;
  let keys = 0;
  const stopTimer = new AbortController();
  let onAbort = (): void => {};
  const halted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    clock.sleep(timeoutMs, stopTimer.signal).then(
      () => reject(new BloomRebuildTimeout(keys, timeoutMs)),
      () => {}, // the rebuild ended first
    );
  });
  halted.catch(() => {}); // observed through the race below
  const iterator = scan.scanKeys(options.batchSize)[Symbol.asyncIterator]();
  let lastLog = started;
  try {
    for (;;) {
      const step = await Promise.race([iterator.next(), halted]);
      if (step.done) return keys;
      for (const key of step.value) add(key);
      keys += step.value.length;
      options.onProgress?.(keys, seconds());
      if (clock.now() - lastLog >= options.progressEveryMs) {
        lastLog = clock.now();
        options.logger?.info({ keys, seconds: seconds() }, "bloom filter rebuilding");
      }
      if (clock.now() - started >= timeoutMs) throw new BloomRebuildTimeout(keys, timeoutMs);
      await Promise.race([nextTurn(), halted]);
    }
  } catch (error) {
    // Stops the scan (after a batch still in flight, if any); its own failure is not the news.
    void iterator.return?.(undefined)?.catch(() => {});
    throw error;
  } finally {
    stopTimer.abort();
    signal.removeEventListener("abort", onAbort);
  }
}
