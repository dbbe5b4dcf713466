import { linkSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LocalDirObjectStore } from "@seniority/object-store";
import { runAugmenter, type RunAugmenterOptions } from "@seniority/augmenter";
import { MemoryStore, ModelHop, SeniorityCache } from "@seniority/seniority-cache";
import type { ModelSim } from "@seniority/model-sim";
import { CountingStore } from "./CountingStore.js";

/** The rare-pair policy of a variant; undefined: off (the baseline). */
export type RareVariant = RunAugmenterOptions["rarePairs"];

/** What one replay of the stream cost and left behind. */
export interface ReplayResult {
  /** Model items, all; those sent while files were augmented (live) and by backfills. */
  modelItems: number;
  liveItems: number;
  modelBatches: number;
  storeRoundTrips: number;
  /** Output lines written with "seniority": null, and files queued, over the stream. */
  pendingLines: number;
  deferredFiles: number;
  /** Per backfilled file: stream seconds from its own timestamp to the file whose run rewrote it. */
  delays: { seconds: number; lines: number }[];
  /** Lines still pending when the stream ended (rewritten by the final --backfill-pending). */
  pendingAtEnd: number;
  /** Output bytes by file name after the final backfill (to compare with the baseline's). */
  outputs: Map<string, Buffer>;
}

const PENDING_DIR = "_rare-pending";

/**
 * Replays the generated files one poll at a time, as `--watch` sees them: each file is linked
 * into the input folder and one `--once` run takes it (and, with the policy, backfills the files
 * the window has moved past). An in-process SeniorityCache (memory store, counted) in front of
 * `sim` answers; after the stream, `--backfill-pending` rewrites what is left. The first
 * `warmFiles` files are replayed with the policy off and not measured: they fill the cache, so the
 * rest sees a warm cache as production does, not a cold start where nearly every pair is new.
 */
export async function replayStream(
  sim: ModelSim,
  source: string,
  workDir: string,
  rare: RareVariant,
  warmFiles: number,
): Promise<ReplayResult> {
  const input = join(workDir, "raw");
  const outputDir = join(workDir, "mod");
  mkdirSync(input, { recursive: true });
  const stores = {
    input: new LocalDirObjectStore(input),
    output: new LocalDirObjectStore(outputDir),
    errors: new LocalDirObjectStore(join(workDir, "errors")),
  };
  const store = new CountingStore(new MemoryStore());
  let warmRoundTrips = 0; // the warm-up's, left out of the figure
  const cache = new SeniorityCache({
    store,
    model: ModelHop.connect({ address: sim.address }),
    modelCapacity: 1e6,
  });
  sim.resetStats();
  const plain = { ...stores, resolver: cache, namespace: cache.namespace, concurrency: 1 };
  const base = {
    ...plain,
    ...(rare
      ? {
          rarePairs: rare,
          cachedLevels: async (pairs: Parameters<SeniorityCache["lookupCached"]>[0]) =>
            (await cache.lookupCached(pairs)).map((found) => found.level),
        }
      : {}),
  } satisfies Partial<RunAugmenterOptions>;
  const result: ReplayResult = {
    modelItems: 0,
    liveItems: 0,
    modelBatches: 0,
    storeRoundTrips: 0,
    pendingLines: 0,
    deferredFiles: 0,
    delays: [],
    pendingAtEnd: 0,
    outputs: new Map(),
  };
  const queued = new Map<string, number>(); // file → its pending lines
  const files = readdirSync(source)
    .filter((name) => name.endsWith(".jsonl"))
    .sort();
  try {
    for (const [index, name] of files.entries()) {
      linkSync(join(source, name), join(input, name));
      if (index < warmFiles) {
        await runAugmenter({ ...plain, mode: "once" });
        if (index === warmFiles - 1) {
          sim.resetStats();
          warmRoundTrips = store.roundTrips;
        }
        continue;
      }
      const summary = await runAugmenter({ ...base, mode: "once" });
      if (summary.files.failed > 0) throw new Error(`${name}: ${summary.failedFiles.join(", ")} failed`);
      result.liveItems += summary.pairsRequested;
      result.pendingLines += summary.rarePairs?.pendingLines ?? 0;
      const now = Number.parseInt(name, 10);
      const markers = new Set(listMarkers(outputDir));
      for (const [key, lines] of queued)
        if (!markers.has(key)) {
          result.delays.push({ seconds: now - Number.parseInt(key, 10), lines });
          queued.delete(key);
        }
      for (const key of markers)
        if (!queued.has(key)) {
          const marker = JSON.parse(readFileSync(join(outputDir, PENDING_DIR, `${key}.json`), "utf8")) as {
            pendingLines: number;
          };
          queued.set(key, marker.pendingLines);
          result.deferredFiles++;
        }
    }
    if (rare) {
      result.pendingAtEnd = [...queued.values()].reduce((sum, lines) => sum + lines, 0);
      const final = await runAugmenter({ ...base, mode: "backfill" });
      if (final.rarePairs?.queuedFiles !== 0) throw new Error("the final backfill left files queued");
    }
    const stats = sim.stats();
    result.modelItems = stats.items;
    result.modelBatches = stats.batches;
    result.storeRoundTrips = store.roundTrips - warmRoundTrips;
    // Live: the pairs the runs sent while augmenting (the cache answered none of them: every one
    // was looked up first); the rest of the model's items came from backfills.
    if (!rare) result.liveItems = result.modelItems;
    for (const name of files) result.outputs.set(name, readFileSync(join(outputDir, name)));
  } finally {
    await cache.close();
    await Promise.all(Object.values(stores).map((s) => s.close()));
  }
  return result;
}

function listMarkers(outputDir: string): string[] {
  try {
    return readdirSync(join(outputDir, PENDING_DIR))
      .filter((name) => name.endsWith(".json") && !name.startsWith("."))
      .map((name) => name.slice(0, -".json".length));
  } catch {
    return [];
  }
}
