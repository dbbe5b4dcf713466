import { generatePostings } from "@seniority/datagen";
import { levelForTitle } from "@seniority/model-sim";
import {
  BloomGuardedStore,
  canScan,
  openStore,
  SeniorityCache,
  type ModelBackend,
  type Store,
} from "@seniority/seniority-cache";
import type { SeniorityPair } from "@seniority/seniority-model";
import { percentile } from "../core/percentile.js";
import { CountingStore } from "./CountingStore.js";
import type { SeedIdeaRow } from "./SeedIdeaRow.js";

export interface BloomIdeaOptions {
  /** A running redis-server (the store both variants use, each under a key prefix of its own). */
  redisUrl: string;
  /** Minute files a month (the stream is two months: a cold backfill, then steady state). */
  filesPerMonth: number;
  linesPerFile: number;
  seed?: number;
  /** Lines per request, deduplicated first, as the augmenter sends them (default 1000). */
  chunkLines?: number;
  /** L1 entries (default 1,000,000, the shipped default). */
  l1Entries?: number;
  /** `--bloom-fp-rate` (default 0.01). */
  falsePositiveRate?: number;
  log?: (message: string) => void;
}

/** What one variant did in one month. */
export interface BloomPhase {
  modelItems: number;
  /** getMany + setMany calls that reached Redis. */
  storeRoundTrips: number;
  storeReads: number;
  requests: number;
  /** Per request (infer call), ms. */
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** The filter's rebuild at the start of the month (bloom only), ms, and the keys it read. */
  rebuildMs?: number;
  rebuildKeys?: number;
}

export interface BloomIdeaResult {
  rows: SeedIdeaRow[];
  /** Per variant: month 1 (cold backfill from an empty store), month 2 (restart, steady state). */
  phases: Record<"baseline" | "bloom", { cold: BloomPhase; steady: BloomPhase }>;
  filterBytes: number;
  expectedPairs: number;
}

/**
 * The Bloom idea on the shared month stream, in-process against a real Redis: the same two months
 * of generated postings (a cold backfill into an empty store, then a restart — L1 empty, the
 * filter rebuilt from Redis — and the next month) through a SeniorityCache without and with a
 * BloomGuardedStore. The model is in-process and instant, so latency is the cache's own.
 */
export async function measureBloom(options: BloomIdeaOptions): Promise<BloomIdeaResult> {
  const months = monthsOf(options);
  const expectedPairs = Math.max(1000, months.distinct);
  const phases = {} as BloomIdeaResult["phases"];
  let filterBytes = 0;
  for (const variant of ["baseline", "bloom"] as const) {
    const prefix = `seed-bloom-${variant}-${Date.now()}:`;
    const cold = await runMonth(options, months.requests[0]!, variant, prefix, expectedPairs);
    const steady = await runMonth(options, months.requests[1]!, variant, prefix, expectedPairs);
    phases[variant] = { cold: cold.phase, steady: steady.phase };
    filterBytes = Math.max(filterBytes, cold.filterBytes);
    options.log?.(`${variant}: cold ${JSON.stringify(cold.phase)}; steady ${JSON.stringify(steady.phase)}`);
  }
  const { baseline, bloom } = phases;
  const trips = (v: typeof baseline) => v.cold.storeRoundTrips + v.steady.storeRoundTrips;
  const saved = (a: number, b: number) => `${(100 * (1 - b / a)).toFixed(1)}%`;
  return {
    phases,
    filterBytes,
    expectedPairs,
    rows: [
      {
        variant: "baseline",
        modelItems: baseline.cold.modelItems + baseline.steady.modelItems,
        storeRoundTrips: trips(baseline),
        note: `store round trips cold ${baseline.cold.storeRoundTrips}, steady ${baseline.steady.storeRoundTrips}`,
      },
      {
        variant: "+ bloom",
        modelItems: bloom.cold.modelItems + bloom.steady.modelItems,
        storeRoundTrips: trips(bloom),
        note:
          `round trips saved: cold ${saved(baseline.cold.storeRoundTrips, bloom.cold.storeRoundTrips)}, ` +
          `steady ${saved(baseline.steady.storeRoundTrips, bloom.steady.storeRoundTrips)}; ` +
          `filter ${(filterBytes / 1024).toFixed(0)} KiB for ${expectedPairs} pairs; ` +
          `rebuild ${bloom.steady.rebuildKeys} keys in ${bloom.steady.rebuildMs?.toFixed(0)} ms`,
      },
    ],
  };
}

/** The two months as requests (each a chunk's distinct pairs), and the distinct pairs in all. */
function monthsOf(options: BloomIdeaOptions): { requests: SeniorityPair[][][]; distinct: number } {
  const chunkLines = options.chunkLines ?? 1000;
  const requests: SeniorityPair[][][] = [[], []];
  const seen = new Set<number>();
  let chunk = new Map<number, SeniorityPair>();
  let lines = 0;
  let file = 0;
  const flush = (month: number) => {
    if (chunk.size > 0) requests[month]!.push([...chunk.values()]);
    chunk = new Map();
    lines = 0;
  };
  const stream = generatePostings({
    files: 2 * options.filesPerMonth,
    linesPerFile: options.linesPerFile,
    seed: options.seed ?? 1,
  });
  for (const generated of stream) {
    const month = file++ < options.filesPerMonth ? 0 : 1;
    for (const line of generated.lines()) {
      if (line.kind !== "good" || line.pairId === undefined) continue;
      seen.add(line.pairId);
      chunk.set(line.pairId, { company: line.company!, title: line.title! });
      if (++lines === chunkLines) flush(month);
    }
    flush(month);
  }
  return { requests, distinct: seen.size };
}

/** An instant in-process model that counts what it is sent. */
function countingModel(): ModelBackend & { items: number } {
  const model = {
    items: 0,
    async resolve(pairs: readonly SeniorityPair[]): Promise<number[]> {
      model.items += pairs.length;
      return pairs.map((pair) => levelForTitle(pair.title));
    },
    async close(): Promise<void> {},
  };
  return model;
}

async function runMonth(
  options: BloomIdeaOptions,
  requests: readonly SeniorityPair[][],
  variant: "baseline" | "bloom",
  keyPrefix: string,
  expectedPairs: number,
): Promise<{ phase: BloomPhase; filterBytes: number }> {
  const opened = await openStore(options.redisUrl, { namespace: "seed:bloom", keyPrefix, expectedPairs });
  if (!canScan(opened.store)) throw new Error(`${opened.store.kind} cannot scan`);
  const counter = new CountingStore(opened.store);
  let store: Store = counter;
  let rebuild: { rebuildMs: number; rebuildKeys: number } | undefined;
  let filterBytes = 0;
  if (variant === "bloom") {
    const started = performance.now();
    const guarded = new BloomGuardedStore(counter, {
      expectedPairs,
      falsePositiveRate: options.falsePositiveRate ?? 0.01,
    });
    if ((await guarded.whenRebuilt()) !== "ready") throw new Error("the filter was not rebuilt");
    rebuild = { rebuildMs: performance.now() - started, rebuildKeys: await countKeys(opened.store) };
    filterBytes = guarded.sizing.bytes;
    store = guarded;
  }
  const model = countingModel();
  const cache = new SeniorityCache({
    store,
    coordination: opened.coordination, // claims as in production: the same in both variants
    model,
    modelCapacity: Number.POSITIVE_INFINITY,
    l1Entries: options.l1Entries ?? 1_000_000,
  });
  const latencies: number[] = [];
  try {
    for (const pairs of requests) {
      const started = performance.now();
      const levels = await cache.infer(pairs);
      latencies.push(performance.now() - started);
      if (levels.some((level, i) => level !== levelForTitle(pairs[i]!.title)))
        throw new Error("a wrong level");
    }
  } finally {
    await cache.close();
  }
  const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
  const phase: BloomPhase = {
    modelItems: model.items,
    storeRoundTrips: counter.roundTrips,
    storeReads: counter.reads,
    requests: requests.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    meanMs: mean,
    ...rebuild,
  };
  return { phase, filterBytes };
}

/** Keys a scan of the store yields (what the rebuild read). */
async function countKeys(store: Store): Promise<number> {
  if (!canScan(store)) return 0;
  let keys = 0;
  for await (const batch of store.scanKeys(10_000)) keys += batch.length;
  return keys;
}
