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

export interface L1RssRow {
  kind: L1Kind;
  entries: number;
  idleRssBytes: number;
  fullRssBytes: number;
  bytesPerEntry: number;
}

/**
 * A proxy (`--l1 <kind> --l1-entries <entries>`, Redis store) sent `entries` distinct pairs through
 * a model-sim: RSS growth from started-and-empty to holding them, per entry. Checks that the model
 * saw every pair once and that the proxy reports exactly `entries` L1 entries.
 */
export async function measureL1Rss(
  ctx: BenchContext,
  redis: RedisProcess,
  kind: L1Kind,
  entries: number,
): Promise<L1RssRow> {
  const model = await ModelSimProcess.start(ctx.workDir, MODEL_CAPACITY, `model-sim-l1-${kind}`);
  try {
    const proxy = await CacheProcess.start(ctx.workDir, {
      name: `cache-l1-${kind}`,
      model: model.address,
      store: redis.url,
      layout: "compact",
      modelCapacity: MODEL_CAPACITY,
      l1Entries: entries,
      extraArgs: ["--l1", kind, "--redis-key-prefix", `l1rss-${kind}:`],
    });
    try {
      const idle = proxy.reading();
      ctx.log(`filling a ${kind} L1 with ${entries} distinct pairs`);
      for (let start = 0; start < entries; start += CHUNK) {
        await sendPairs(proxy.address, pairs(start, Math.min(entries, start + CHUNK)));
      }
      const stats = await model.stats();
      if (stats.distinctPairs !== entries) {
        throw new Error(`the model inferred ${stats.distinctPairs} distinct pairs, expected ${entries}`);
      }
      const held = sumSamples(parsePrometheus(await proxy.metrics()), "seniority_cache_l1_entries");
      if (held !== entries) throw new Error(`the proxy reports ${held} L1 entries, expected ${entries}`);
      const full = proxy.reading();
      return {
        kind,
        entries,
        idleRssBytes: idle.rssBytes,
        fullRssBytes: full.rssBytes,
        bytesPerEntry: (full.rssBytes - idle.rssBytes) / entries,
      };
    } finally {
      await proxy.close();
    }
  } finally {
    await model.close();
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
