import type { L1Kind } from "@seniority/seniority-cache";
import type { BenchContext } from "../core/Benchmark.js";
import { parsePrometheus, sumSamples } from "../core/prometheusText.js";
import type { Pair } from "../core/syntheticPairs.js";
import { CacheProcess } from "../infra/CacheProcess.js";
import { ModelSimProcess } from "../infra/ModelSimProcess.js";
import type { RedisProcess } from "../infra/RedisProcess.js";
import { sendPairs } from "../infra/sendPairs.js";

/** The L1 fill goes through the model once; a raised capacity keeps that short. */
const MODEL_CAPACITY = 1_000_000;
/** Pairs generated and sent at a time (the bench process never holds all 5M). */
const CHUNK = 100_000;
/**
 * Pairs sent before the empty reading, so it already counts what any first traffic costs (gRPC
 * sessions, compiled code, pools). They touch at most this many 4 KiB pages of the table, so the
 * baseline hides at most 4 MB of it (< 1 B an entry at 5M).
 */
export const WARM_PAIRS = 1000;
/** After a forced GC, RSS is read every this many ms until it stops falling (V8 frees pages lazily). */
const SETTLE_POLL_MS = 1000;
/** Settled: two readings this close, bytes. */
const SETTLE_BYTES = 2 ** 20;
/** Settling gives up (and reads anyway) after this long, ms. */
const SETTLE_MAX_MS = 30_000;

export interface L1RssRow {
  kind: L1Kind;
  entries: number;
  /** RSS holding WARM_PAIRS entries, after a forced GC and settling. */
  idleRssBytes: number;
  /** RSS holding `entries`, after a forced GC and settling. */
  fullRssBytes: number;
  /** RSS holding `entries` right after the fill, before the GC (what the old method read). */
  unsettledRssBytes: number;
  /** V8 heap in use holding `entries`, after the GC (nodejs_heap_size_used_bytes). */
  heapUsedBytes: number;
  /** Memory outside the V8 heap that V8 knows of (ArrayBuffers: the CompactL1 table), bytes. */
  externalBytes: number;
  /** (full − idle) ÷ (entries − WARM_PAIRS). */
  bytesPerEntry: number;
}

/**
 * A proxy (`--l1 <kind> --l1-entries <entries>`, Redis store) sent `entries` distinct pairs through
 * a model-sim: RSS growth from holding WARM_PAIRS entries to holding them all, per entry added,
 * both readings taken after two forced full GCs (the bench's gcOnSignal hook) once RSS stops
 * falling, so the figure is what the entries keep resident, not the fill traffic's uncollected
 * garbage. Checks that the model saw every pair once and that the proxy reports exactly `entries`
 * L1 entries.
 */
export async function measureL1Rss(
  ctx: BenchContext,
  redis: RedisProcess,
  kind: L1Kind,
  entries: number,
): Promise<L1RssRow> {
  // Tracking every pair: past its default 2M the sim forgets the oldest one per new pair, and the
  // fill slowed to ~2,000 pairs/s (model-sim at 100% CPU) from ~13,000.
  const model = await ModelSimProcess.start(ctx.workDir, MODEL_CAPACITY, `model-sim-l1-${kind}`, [
    "--max-tracked-pairs",
    String(entries),
  ]);
  try {
    const proxy = await CacheProcess.start(ctx.workDir, {
      name: `cache-l1-${kind}`,
      model: model.address,
      store: redis.url,
      layout: "compact",
      modelCapacity: MODEL_CAPACITY,
      l1Entries: entries,
      extraArgs: ["--l1", kind, "--redis-key-prefix", `l1rss-${kind}:`],
      gcHook: true,
    });
    try {
      await sendPairs(proxy.address, pairs(0, WARM_PAIRS));
      const idle = await settledRss(proxy);
      ctx.log(`filling a ${kind} L1 with ${entries} distinct pairs`);
      for (let start = WARM_PAIRS; start < entries; start += CHUNK) {
        await sendPairs(proxy.address, pairs(start, Math.min(entries, start + CHUNK)));
      }
      const stats = await model.stats();
      if (stats.distinctPairs !== entries) {
        throw new Error(`the model inferred ${stats.distinctPairs} distinct pairs, expected ${entries}`);
      }
      const held = sumSamples(parsePrometheus(await proxy.metrics()), "seniority_cache_l1_entries");
      if (held !== entries) throw new Error(`the proxy reports ${held} L1 entries, expected ${entries}`);
      const unsettled = proxy.reading().rssBytes;
      const full = await settledRss(proxy);
      const after = parsePrometheus(await proxy.metrics());
      return {
        kind,
        entries,
        idleRssBytes: idle,
        fullRssBytes: full,
        unsettledRssBytes: unsettled,
        heapUsedBytes: sumSamples(after, "nodejs_heap_size_used_bytes"),
        externalBytes: sumSamples(after, "nodejs_external_memory_bytes"),
        bytesPerEntry: (full - idle) / (entries - WARM_PAIRS),
      };
    } finally {
      await proxy.close();
    }
  } finally {
    await model.close();
  }
}

/** RSS after two full GCs, once it stops falling (V8 returns freed pages in the background). */
async function settledRss(proxy: CacheProcess): Promise<number> {
  await proxy.collectGarbage();
  const deadline = Date.now() + SETTLE_MAX_MS;
  let last = proxy.reading().rssBytes;
  for (;;) {
    await new Promise((r) => setTimeout(r, SETTLE_POLL_MS));
    const now = proxy.reading().rssBytes;
    if (Math.abs(now - last) < SETTLE_BYTES || Date.now() > deadline) return now;
    last = now;
  }
}

/** Distinct pairs number [from, to): realistic lengths (~25 and ~35 bytes), unique by number. */
function pairs(from: number, to: number): Pair[] {
  return Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return {
      company: `Acme Holdings Group ${Math.floor(i / 7)}`,
      title: `Senior Data Engineer - Platform ${i}`,
    };
  });
}
