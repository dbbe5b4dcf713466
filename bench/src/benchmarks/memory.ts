import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport, ResultTable, TargetCheck } from "../core/BenchmarkResult.js";
import { formatNumber, formatSig } from "../core/formatNumber.js";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parsePrometheus, sumSamples } from "../core/prometheusText.js";
import { syntheticPairs } from "../core/syntheticPairs.js";
import { ensureBigFile } from "../infra/ensureBigFile.js";
import { runAugment } from "../infra/runAugment.js";
import { sendPairs } from "../infra/sendPairs.js";
import { CacheProcess } from "../infra/CacheProcess.js";
import { ModelSimProcess } from "../infra/ModelSimProcess.js";
import { RedisProcess } from "../infra/RedisProcess.js";
import { measureRedisBytesPerPair } from "./memoryRedis.js";

const MB = 2 ** 20;
/** The proxy's L1 fill goes through the model once; a raised capacity keeps that short. */
const MODEL_CAPACITY = 1_000_000;

const SCALE = {
  full: { redisPairs: 1_000_000, l1Entries: 1_000_000, bigFileBytes: 2 ** 30 },
  quick: { redisPairs: 50_000, l1Entries: 50_000, bigFileBytes: 20 * 2 ** 20 },
};

/** Redis bytes a pair (both layouts, vs raw baselines), proxy RSS with a full L1, augmenter RSS on a big file. */
export const memory: Benchmark = {
  name: "memory",
  title: "Memory: Redis bytes a pair, proxy RSS with a full L1, augmenter peak RSS on a large file",
  description: `Redis memory a cached pair costs: the growth of \`INFO memory\` used_memory after writing the pairs into an emptied redis-server, through our store's own \`setMany\` in both layouts, beside two raw layouts (one string key a pair; hash buckets) written with ioredis alone. Then the proxy process's RSS (from /proc) before and after its L1 holds the pairs, and the augmenter's peak RSS (VmHWM of its process tree) on one large file.`,
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const scale = ctx.quick ? SCALE.quick : SCALE.full;
    const redis = await RedisProcess.start();
    ctx.defer(() => redis.close());

    const redisRows = await measureRedisBytesPerPair(redis, scale.redisPairs, ctx.log);
    const proxy = await measureProxyL1(ctx, redis, scale.l1Entries);
    const big = await measureAugmenterBigFile(ctx, redis, scale.bigFileBytes);

    const compactDefault = redisRows.find((r) => r.layout.startsWith("compact, default"))!;
    const compactDesign = redisRows.find((r) => r.layout.includes("the design"))!;
    const tables: ResultTable[] = [
      {
        title: `Redis used_memory growth per pair at ${formatNumber(scale.redisPairs)} pairs`,
        columns: ["layout", "bytes / pair"],
        rows: redisRows.map((r) => [r.layout, formatSig(r.bytesPerPair)]),
      },
      {
        title: `Proxy process RSS with ${formatNumber(scale.l1Entries)} L1 entries (Redis compact store behind it)`,
        columns: ["state", "RSS MB"],
        rows: [
          ["started, empty", formatSig(proxy.idleRssMB)],
          [`after ${formatNumber(scale.l1Entries)} distinct pairs`, formatSig(proxy.fullRssMB)],
          ["peak (VmHWM)", formatSig(proxy.hwmMB)],
          [
            "growth per L1 entry, bytes",
            formatSig(((proxy.fullRssMB - proxy.idleRssMB) * MB) / scale.l1Entries),
          ],
        ],
      },
      {
        title: "Augmenter on one large file (seniority augment <file>, cold cache)",
        columns: ["file MB", "lines", "seconds", "lines/s", "peak RSS MB"],
        rows: [
          [
            formatNumber(big.bytes / MB),
            formatNumber(big.lines),
            formatSig(big.seconds),
            formatNumber(big.lines / big.seconds),
            formatSig(big.peakRssMB),
          ],
        ],
      },
    ];
    const targets: TargetCheck[] = [
      {
        target: "Redis compact layout ≤ 20 bytes a pair (default buckets)",
        measured: `${formatSig(compactDefault.bytesPerPair)} B`,
        met: compactDefault.bytesPerPair <= 20,
      },
      {
        target: "Redis compact layout ≤ 20 bytes a pair (design density)",
        measured: `${formatSig(compactDesign.bytesPerPair)} B`,
        met: compactDesign.bytesPerPair <= 20,
      },
      {
        target: `augmenter peak RSS < 300 MB on a ${formatNumber(big.bytes / MB)} MB file`,
        measured: `${formatSig(big.peakRssMB)} MB`,
        met: big.peakRssMB < 300,
      },
    ];
    return {
      scale: {
        "Redis pairs": scale.redisPairs,
        "L1 entries": scale.l1Entries,
        "large file MB": Math.round(big.bytes / MB),
        "large file lines": big.lines,
        "model-sim capacity (fills)": MODEL_CAPACITY,
      },
      tables,
      targets,
      charts: [],
      metrics: {
        ...Object.fromEntries(
          redisRows.map((r) => [
            `redis_bytes_per_pair_${r.layout.replace(/[^a-z0-9]+/gi, "_").toLowerCase()}`,
            r.bytesPerPair,
          ]),
        ),
        proxy_idle_rss_mb: proxy.idleRssMB,
        proxy_full_l1_rss_mb: proxy.fullRssMB,
        proxy_hwm_mb: proxy.hwmMB,
        augmenter_big_file_peak_rss_mb: big.peakRssMB,
      },
      notes: [
        "Bytes a pair = growth of `INFO memory` used_memory ÷ pairs, each layout written into an emptied redis-server (keys: 16-byte pair keys of synthetic pairs).",
        `The compact layout's default bucket count is sized for the design's 20M pairs; at ${formatNumber(scale.redisPairs)} pairs its buckets are mostly near-empty, so the per-bucket key overhead is spread over few pairs. The row at the design's density shows the steady state.`,
      ],
    };
  },
};

/** A model-sim and a proxy on `redis` for one part of the benchmark, stopped when it ends. */
async function withProxy<T>(
  ctx: BenchContext,
  redis: RedisProcess,
  name: string,
  l1Entries: number | undefined,
  use: (proxy: CacheProcess, model: ModelSimProcess) => Promise<T>,
): Promise<T> {
  const model = await ModelSimProcess.start(ctx.workDir, MODEL_CAPACITY, `model-sim-${name}`);
  try {
    const proxy = await CacheProcess.start(ctx.workDir, {
      name,
      model: model.address,
      store: redis.url,
      layout: "compact",
      modelCapacity: MODEL_CAPACITY,
      ...(l1Entries === undefined ? {} : { l1Entries }),
    });
    try {
      return await use(proxy, model);
    } finally {
      await proxy.close();
    }
  } finally {
    await model.close();
  }
}

async function measureProxyL1(ctx: BenchContext, redis: RedisProcess, entries: number) {
  return withProxy(ctx, redis, "cache-l1-memory", entries, async (proxy, model) => {
    const idle = proxy.reading();
    ctx.log(`filling the proxy's L1 with ${entries} distinct pairs`);
    await sendPairs(proxy.address, syntheticPairs(entries, 11));
    const stats = await model.stats();
    if (stats.distinctPairs !== entries) {
      throw new Error(`the model inferred ${stats.distinctPairs} distinct pairs, expected ${entries}`);
    }
    const l1 = sumSamples(parsePrometheus(await proxy.metrics()), "seniority_cache_l1_entries");
    if (l1 !== entries) throw new Error(`the proxy reports ${l1} L1 entries, expected ${entries}`);
    const full = proxy.reading();
    return { idleRssMB: idle.rssBytes / MB, fullRssMB: full.rssBytes / MB, hwmMB: full.hwmBytes / MB };
  });
}

async function measureAugmenterBigFile(ctx: BenchContext, redis: RedisProcess, minBytes: number) {
  const file = await ensureBigFile(minBytes, 20240718, ctx.log);
  return withProxy(ctx, redis, "cache-big-file", undefined, async (proxy) => {
    ctx.log(`augmenting one ${(file.bytes / MB).toFixed(0)} MB file`);
    const out = join(ctx.workDir, "out-big");
    const run = await runAugment({ file: file.path, output: out, proxy: proxy.address });
    rmSync(out, { recursive: true, force: true });
    if (run.summary.lines.out !== file.lines)
      throw new Error(`augment wrote ${run.summary.lines.out} of ${file.lines} lines`);
    return { bytes: file.bytes, lines: file.lines, seconds: run.wallSeconds, peakRssMB: run.peakRssMB };
  });
}
