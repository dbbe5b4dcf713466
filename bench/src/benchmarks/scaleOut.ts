import { join } from "node:path";
import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport, TargetCheck } from "../core/BenchmarkResult.js";
import { formatNumber, formatSig } from "../core/formatNumber.js";
import { CacheProcess } from "../infra/CacheProcess.js";
import { ensureDataset, linkFiles } from "../infra/Dataset.js";
import { distinctPairKeys } from "../infra/distinctPairKeys.js";
import { ModelSimProcess } from "../infra/ModelSimProcess.js";
import { RedisClusterProcess, type MasterHolding } from "../infra/RedisClusterProcess.js";
import { RedisProcess } from "../infra/RedisProcess.js";
import { runAugment } from "../infra/runAugment.js";
import { STREAM } from "./datasets.js";

/** Proxies (each with its own augmenter) per run. */
const REPLICAS = [1, 2, 4] as const;

const SCALE = {
  // The stream's first 12 minute files (~65K lines); the model at its real 1,000 items/s.
  full: { dataset: { ...STREAM.full, files: 12 }, files: 12, capacity: 1000 },
  // 1 file of ~2,500 lines; a raised capacity keeps the three cold passes short.
  quick: { dataset: STREAM.quick, files: 1, capacity: 5000 },
};

interface Pass {
  seconds: number;
  lines: number;
  redisOps: number;
}

interface Row {
  replicas: number;
  cold: Pass;
  warm: Pass;
  modelItems: number;
  duplicates: number;
  peak: number;
  holdings: MasterHolding[];
}

/**
 * N = 1, 2, 4 proxies, each fed by its own augmenter (`--once`, sharing the files through leases),
 * on one real Redis Cluster (3 masters + 3 replicas) and one model-sim at a fixed capacity: does
 * the work spread, and does every distinct pair still reach the model exactly once?
 */
export const scaleOut: Benchmark = {
  name: "scaleOut",
  title: "Scale-out: 1, 2 and 4 proxies and augmenters on one Redis Cluster, the model at fixed capacity",
  description: `N proxies (\`seniority cache --store redis-cluster://…\`, shared pacing and claims in the cluster) each fed by one augmenter (\`seniority augment --once\` over the same input folder, files shared through leases in a separate redis-server), on a real local Redis Cluster of 3 masters + 3 replicas (testkit RedisCluster) and one model-sim at a fixed capacity. For each N the cluster is emptied and a new model-sim started; a cold pass (every pair new) then a warm pass (new output folder, every pair cached) are timed from the first augmenter's start to the last one's end. Model items ÷ distinct keys counts the pair keys of the input under the proxy's normalization; Redis ops are the commands the three masters executed (INFO commandstats, the benchmark's own readings left out). Everything shares this machine's cores, so lines/s shows the model bound (cold) and the CPU bound (warm), not what N hosts would do.`,
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const scale = ctx.quick ? SCALE.quick : SCALE.full;
    const dataset = await ensureDataset(scale.dataset, ctx.log);
    const files = dataset.files.slice(0, scale.files);
    const inDir = linkFiles(dataset, files, join(ctx.workDir, "in"));
    const distinct = distinctPairKeys(inDir, files);
    ctx.log(
      `${files.length} files, ${formatNumber(distinct)} distinct keys; starting a 6-node Redis Cluster`,
    );
    const cluster = await RedisClusterProcess.start();
    ctx.defer(() => cluster.close());
    const leases = await RedisProcess.start();
    ctx.defer(() => leases.close());
    const leaseClient = leases.client();
    ctx.defer(() => leaseClient.disconnect());

    const rows: Row[] = [];
    for (const replicas of REPLICAS) {
      await cluster.reset();
      await leaseClient.flushall();
      const model = await ModelSimProcess.start(ctx.workDir, scale.capacity, `model-sim-n${replicas}`);
      const proxies: CacheProcess[] = [];
      try {
        // Started together (each waits for its /readyz); every one that came up is closed below.
        const started = await Promise.allSettled(
          Array.from({ length: replicas }, (_, i) =>
            CacheProcess.start(ctx.workDir, {
              name: `cache-n${replicas}-${i}`,
              model: model.address,
              store: cluster.url,
              modelCapacity: scale.capacity,
            }),
          ),
        );
        for (const s of started) if (s.status === "fulfilled") proxies.push(s.value);
        const failed = started.find((s) => s.status === "rejected");
        if (failed) throw failed.reason;
        const pass = async (label: string): Promise<Pass> => {
          const opsBefore = await cluster.commandCalls();
          const started = performance.now();
          const runs = await Promise.all(
            proxies.map((proxy) =>
              runAugment({
                input: inDir,
                output: join(ctx.workDir, `out-n${replicas}-${label}`),
                proxy: proxy.address,
                extraArgs: ["--leases", leases.url],
              }),
            ),
          );
          const seconds = (performance.now() - started) / 1000;
          const lines = runs.reduce((sum, r) => sum + r.summary.lines.in, 0);
          // Every file once (leases): as many lines as one augmenter alone reads.
          const expected = rows[0]?.cold.lines ?? lines;
          if (lines !== expected || lines === 0)
            throw new Error(
              `${label} pass with ${replicas} replicas read ${lines} lines, expected ${expected}`,
            );
          ctx.log(`N=${replicas} ${label}: ${formatNumber(lines)} lines in ${formatSig(seconds)} s`);
          return { seconds, lines, redisOps: (await cluster.commandCalls()) - opsBefore };
        };
        const cold = await pass("cold");
        const stats = await model.stats();
        const holdings = await cluster.holdings();
        const warm = await pass("warm");
        if ((await model.stats()).items !== stats.items)
          throw new Error("the model was called in the warm pass");
        if (warm.lines !== cold.lines)
          throw new Error(`warm pass read ${warm.lines} lines, cold ${cold.lines}`);
        rows.push({
          replicas,
          cold,
          warm,
          modelItems: stats.items,
          duplicates: stats.duplicateInferences,
          peak: stats.peakItemsPerSecond,
          holdings,
        });
      } finally {
        await Promise.allSettled(proxies.map((p) => p.close()));
        await model.close();
      }
    }
    return report(rows, distinct, scale.capacity, files.length);
  },
};

function report(rows: readonly Row[], distinct: number, capacity: number, files: number): BenchmarkReport {
  const lines = rows[0]!.cold.lines;
  const ratio = (r: Row): number => r.modelItems / distinct;
  const keySpread = (r: Row): number => {
    const keys = r.holdings.map((h) => h.keys);
    const mean = keys.reduce((a, b) => a + b, 0) / keys.length;
    return Math.max(...keys.map((k) => Math.abs(k - mean))) / mean;
  };
  const targets: TargetCheck[] = [
    {
      target: "model items ÷ distinct keys = 1.00 at every N",
      measured: rows.map((r) => `N=${r.replicas}: ${ratio(r).toFixed(3)}`).join(", "),
      met: rows.every((r) => r.modelItems === distinct),
    },
    {
      target: `model peak ≤ capacity (${formatNumber(capacity)}/s) at every N`,
      measured: rows.map((r) => `N=${r.replicas}: ${formatNumber(r.peak)}`).join(", "),
      met: rows.every((r) => r.peak <= capacity),
    },
    {
      target: "keys per master within 20% of the mean",
      measured: rows.map((r) => `N=${r.replicas}: ±${(100 * keySpread(r)).toFixed(1)}%`).join(", "),
      met: rows.every((r) => keySpread(r) <= 0.2),
    },
  ];
  return {
    scale: {
      "input files": files,
      "input lines": lines,
      "distinct keys (standard normalization)": distinct,
      "model-sim capacity (items/s)": capacity,
      "Redis Cluster": "3 masters + 3 replicas, loopback",
      replicas: REPLICAS.join(", "),
    },
    tables: [
      {
        title: "Per N: cold pass (empty cache) and warm pass (every pair cached)",
        columns: [
          "N proxies + augmenters",
          "cold s",
          "cold lines/s",
          "model items ÷ distinct keys",
          "duplicate inferences",
          "model peak items/s",
          "model busy (items ÷ capacity × cold s)",
          "Redis ops / line (cold)",
          "warm lines/s",
          "Redis ops / line (warm)",
        ],
        rows: rows.map((r) => [
          r.replicas,
          formatSig(r.cold.seconds),
          formatNumber(r.cold.lines / r.cold.seconds),
          ratio(r).toFixed(3),
          formatNumber(r.duplicates),
          `${formatNumber(r.peak)} of ${formatNumber(capacity)}`,
          formatSig(r.modelItems / (capacity * r.cold.seconds)),
          formatSig(r.cold.redisOps / r.cold.lines),
          formatNumber(r.warm.lines / r.warm.seconds),
          formatSig(r.warm.redisOps / r.warm.lines),
        ]),
      },
      {
        title: "Data per master after the cold pass (keys, used_memory MB)",
        columns: ["N", ...rows[0]!.holdings.map((_, i) => `master ${i + 1}`), "spread of keys"],
        rows: rows.map((r) => [
          r.replicas,
          ...r.holdings.map((h) => `${formatNumber(h.keys)} / ${formatSig(h.usedMemoryBytes / 2 ** 20)}`),
          `±${(100 * keySpread(r)).toFixed(1)}%`,
        ]),
      },
    ],
    targets,
    charts: [],
    metrics: Object.fromEntries(
      rows.flatMap((r) => [
        [`n${r.replicas}_cold_lines_per_second`, r.cold.lines / r.cold.seconds],
        [`n${r.replicas}_warm_lines_per_second`, r.warm.lines / r.warm.seconds],
        [`n${r.replicas}_model_items_per_distinct_key`, ratio(r)],
        [`n${r.replicas}_model_peak_items_per_second`, r.peak],
        [`n${r.replicas}_model_busy`, r.modelItems / (capacity * r.cold.seconds)],
        [`n${r.replicas}_redis_ops_per_line_cold`, r.cold.redisOps / r.cold.lines],
        [`n${r.replicas}_redis_ops_per_line_warm`, r.warm.redisOps / r.warm.lines],
      ]),
    ),
    notes: [
      "Model busy below 1 means the cold pass waited on the request chain (augmenter chunk → proxy → claims and shared pacing in the cluster → model), not on the model's capacity.",
      "Every process shares this machine's two cores (N proxies, N augmenters, 6 redis-servers, the model-sim): more processes add no cores here, so lines/s at N = 2 and 4 measures contention, not what N hosts would do.",
      "Redis ops count every command the masters ran: lookups, writes and claims (one script call per partition touched), shared pacing, heartbeats, and the augmenters' leases are in a separate redis-server (not counted).",
    ],
  };
}
