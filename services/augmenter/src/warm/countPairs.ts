import { pairKey, type NormalizationMode } from "@seniority/pair-key";
import { PairCounter } from "./PairCounter.js";
import { postingFormat, readPostingPairs, type BadLines } from "./readPostingPairs.js";
import { warmKeys, type WarmInput } from "./openWarmInput.js";

/** How far counting got (after each file). */
export interface CountProgress {
  files: number;
  lines: number;
  badLines: number;
  /** Pairs holding a counter (≤ the counter capacity). */
  tracked: number;
}

export interface CountPairsOptions {
  /** Counters kept at most (PairCounter's capacity): the memory bound. */
  counters: number;
  /** How the proxy keys pairs: spellings it merges are counted as one. */
  normalization: NormalizationMode;
  signal?: AbortSignal;
  onFile?: (progress: CountProgress, key: string) => void;
}

/**
 * Reads every posting file of `input` once, one at a time, counting each good line's pair (by its
 * pair key under `normalization`, so spellings the proxy merges count together) in a PairCounter.
 */
export async function countPairs(
  input: WarmInput,
  options: CountPairsOptions,
): Promise<{ counter: PairCounter; progress: CountProgress }> {
  const counter = new PairCounter(options.counters);
  const tally: BadLines = { bad: 0 };
  const progress: CountProgress = { files: 0, lines: 0, badLines: 0, tracked: 0 };
  for await (const key of warmKeys(input, options.signal)) {
    const body = await input.store.get(key, options.signal);
    try {
      for await (const pair of readPostingPairs(body, postingFormat(key) ?? "jsonl", tally)) {
        counter.add(pairKey(pair.company, pair.title, options.normalization).toString("latin1"), pair);
      }
    } catch (error) {
      throw new Error(`${input.store.location.replace(/\/?$/, "/")}${key}: ${(error as Error).message}`, {
        cause: error,
      });
    } finally {
      body.destroy();
    }
    options.signal?.throwIfAborted();
    Object.assign(progress, {
      files: progress.files + 1,
      lines: counter.total + tally.bad,
      badLines: tally.bad,
      tracked: counter.tracked,
    });
    options.onFile?.(progress, key);
  }
  return { counter, progress };
}
