import {
  createEmbeddedResolver,
  IN_PROCESS_SIM,
  runAugmenter,
  type RunSummaryJson,
} from "@seniority/augmenter";
import type { ModelSim, ModelSimStats } from "@seniority/model-sim";
import { LocalDirObjectStore } from "@seniority/object-store";
import type { SeniorityCache } from "@seniority/seniority-cache";
import type { Logger } from "@seniority/telemetry";
import { modelSimStarter } from "../startModelSim.js";
import { DemoFolder } from "./DemoFolder.js";
import type { DemoReport } from "./DemoReport.js";
import { prepareSample, type SampleSettings } from "./prepareSample.js";
import { readFirstLine } from "./readFirstLine.js";
import { removeStoreFiles } from "./removeStoreFiles.js";

export interface DemoOptions extends SampleSettings {
  /** The demo folder (raw/, mod/, errors/, demo.json). */
  dir: string;
  /** "memory" or "lmdb:<path>". */
  store: string;
  /** Items a second of the in-process model-sim (and the cache's pacing). */
  capacity: number;
  /** Delete the demo folder and the store's files first. */
  fresh: boolean;
  /** Files augmented at once (default 2, the augmenter's). */
  concurrency?: number;
  logger: Logger;
  /** One line per step, for a person watching. */
  onStep?: (message: string) => void;
  onProgress?: (progress: { filesTotal: number; filesFinished: number; lines: number }) => void;
  /** Stops generation, or the augmenter (files in progress are aborted at once). */
  signal?: AbortSignal;
}

/**
 * The whole system in one process: a sample of minute files in `raw/` (generated once, then
 * reused), then the augmenter over it on the embedded cache (store: LMDB by default) with
 * model-sim in-process. mod/ and errors/ are cleared first on every run: the augmenter would skip
 * files already done (exactly once), and redoing them is what shows the persisted cache at work.
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const step = options.onStep ?? (() => {});
  const folder = new DemoFolder(options.dir);
  await folder.claim();
  if (options.fresh) {
    step(`--fresh: deleting ${folder.root} and the cache (${options.store})`);
    await folder.remove();
    await removeStoreFiles(options.store);
    await folder.claim();
  }

  step("preparing the sample");
  const { files, lines, seed, badLineShare } = options;
  const sample = await prepareSample(folder, { files, lines, seed, badLineShare }, options.signal);
  step(
    sample.reused
      ? `reusing the sample in ${folder.raw} (${sample.files} files, ${sample.lines.toLocaleString("en-US")} lines)`
      : `generated ${sample.files} files, ${sample.lines.toLocaleString("en-US")} lines in ${sample.seconds.toFixed(1)} s`,
  );
  await folder.clearOutputs();

  let sim: ModelSim | undefined;
  const resolver = await createEmbeddedResolver({
    store: options.store,
    model: IN_PROCESS_SIM,
    simCapacity: options.capacity,
    startSimulator: modelSimStarter((started) => (sim = started)),
    logger: options.logger,
  });
  const stores = [folder.raw, folder.mod, folder.errors].map((dir) => new LocalDirObjectStore(dir));
  let summary: RunSummaryJson;
  let seconds: number;
  let model: ModelSimStats;
  let lookups: Record<LookupTier, number>;
  try {
    step(
      `augmenting ${sample.files} files: embedded cache on ${options.store}, model-sim at ${options.capacity} items/s`,
    );
    const started = performance.now();
    summary = await runAugmenter({
      input: stores[0]!,
      output: stores[1]!,
      errors: stores[2]!,
      resolver,
      mode: "once",
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      // The demo stops at once when asked to (a rerun redoes everything anyway).
      graceMs: 0,
      logger: options.logger,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    seconds = (performance.now() - started) / 1000;
    model = sim!.stats();
    lookups = await lookupsByTier(resolver.cache);
  } finally {
    await resolver.close();
    await Promise.all(stores.map((store) => store.close()));
  }
  options.signal?.throwIfAborted();

  const total = lookups.l1 + lookups.store + lookups.model;
  return {
    folders: { root: folder.root, raw: folder.raw, mod: folder.mod, errors: folder.errors },
    store: options.store,
    sample,
    model: {
      address: resolver.modelAddress,
      capacity: options.capacity,
      inferences: model.items,
      batches: model.batches,
      meanBatchSize: model.batches === 0 ? 0 : model.items / model.batches,
      duplicateInferences: model.duplicateInferences,
    },
    cache: {
      lookups: total,
      l1Hits: lookups.l1,
      storeHits: lookups.store,
      hitRatio: total === 0 ? 0 : (lookups.l1 + lookups.store) / total,
    },
    augment: {
      files: summary.files.done,
      failedFiles: summary.failedFiles,
      linesIn: summary.lines.in,
      linesOut: summary.lines.out,
      linesBad: summary.lines.bad,
      pairsRequested: summary.pairsRequested,
      localCacheHits: summary.localCacheHits,
      seconds,
      linesPerSecond: seconds === 0 ? 0 : summary.lines.in / seconds,
    },
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    sampleLine: (await readFirstLine(folder.mod)) ?? null,
  };
}

type LookupTier = "l1" | "store" | "model";

/**
 * The cache's seniority_cache_lookups_total by tier: distinct (normalized) pairs of each request
 * and which tier answered them ("model" includes pairs that joined an inference in flight).
 */
async function lookupsByTier(cache: SeniorityCache): Promise<Record<LookupTier, number>> {
  const counts: Record<LookupTier, number> = { l1: 0, store: 0, model: 0 };
  for (const { labels, value } of (await cache.metrics.lookups.get()).values) {
    const tier = labels["tier"];
    if (tier === "l1" || tier === "store" || tier === "model") counts[tier] += value;
  }
  return counts;
}
