import { levelForTitle } from "@seniority/model-sim";
import { spellingKey, type NormalizationMode } from "@seniority/pair-key";
import { MemoryStore, SeniorityCache } from "@seniority/seniority-cache";
import type { SeniorityPair } from "@seniority/seniority-model";
import { CountingStore } from "./CountingStore.js";
import { SimBackend } from "./SimBackend.js";

/** Pairs per request: the augmenter's default --batch-size. */
const REQUEST_PAIRS = 1000;

/** What one variant of the cache did with a stream. */
export interface VariantRun {
  mode: NormalizationMode;
  lines: number;
  /** Distinct exact (company, title) spellings. */
  spellings: number;
  /** Items and batches the model was sent (its own counters). */
  modelItems: number;
  modelBatches: number;
  /** getMany / setMany calls on the store, and the getMany calls alone. */
  storeRoundTrips: number;
  storeReads: number;
  /** Requests the cache was sent. */
  requests: number;
  /** Lines (and distinct spellings) answered with a level model-sim does not give their own title. */
  disagreeingLines: number;
  disagreeingSpellings: number;
}

/**
 * Replays `files` (each a minute file's good lines, in order) through an in-process SeniorityCache
 * keyed by `mode` in front of model-sim (SimBackend) and a memory store, as the augmenter sends
 * them: each file's distinct exact spellings in requests of 1000, one file after the other. Every
 * answer is checked against levelForTitle of the line's own title: with `cluster`, a spelling is
 * answered with the level of the first spelling of its cluster the model was sent.
 */
export async function runCacheVariant(
  files: Iterable<readonly SeniorityPair[]>,
  mode: NormalizationMode,
): Promise<VariantRun> {
  const store = new CountingStore(new MemoryStore());
  const model = new SimBackend();
  const cache = new SeniorityCache({
    store,
    model,
    normalization: mode,
    modelIdentity: "sim",
    modelCapacity: 100_000_000, // counts, not time: nothing waits for the pacer
  });
  const run = { mode, lines: 0, disagreeingLines: 0 };
  const seen = new Set<string>();
  const disagreeing = new Set<string>();
  try {
    for (const lines of files) {
      const distinct = new Map<string, SeniorityPair>();
      for (const pair of lines) distinct.set(spellingKey(pair.company, pair.title), pair);
      const answers = new Map<string, number>();
      const pairs = [...distinct];
      for (let i = 0; i < pairs.length; i += REQUEST_PAIRS) {
        const request = pairs.slice(i, i + REQUEST_PAIRS);
        const levels = await cache.infer(
          request.map(([, pair]) => pair),
          { priority: "bulk" },
        );
        request.forEach(([spelling], j) => answers.set(spelling, levels[j]!));
      }
      for (const pair of lines) {
        const spelling = spellingKey(pair.company, pair.title);
        const wrong = answers.get(spelling) !== levelForTitle(pair.title);
        run.lines++;
        if (wrong) run.disagreeingLines++;
        if (!seen.has(spelling)) {
          seen.add(spelling);
          if (wrong) disagreeing.add(spelling);
        }
      }
    }
  } finally {
    await cache.close();
  }
  return {
    ...run,
    spellings: seen.size,
    disagreeingSpellings: disagreeing.size,
    modelItems: model.items,
    modelBatches: model.batches,
    storeRoundTrips: store.roundTrips,
    storeReads: store.reads,
    requests: cache.stats().requests,
  };
}
