import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { readFileSync, rmSync } from "node:fs";
import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { formatNumber, formatRatio, formatSig } from "../core/formatNumber.js";
import { interleave, type Variant } from "../core/interleave.js";
import { median } from "../core/percentile.js";
import { runJqBaseline, runNodeFloor } from "../baselines/transformBaselines.js";
import { ensureDataset, linkFiles } from "../infra/Dataset.js";
import { ModelSimProcess } from "../infra/ModelSimProcess.js";
import { RedisProcess } from "../infra/RedisProcess.js";
import { runAugment } from "../infra/runAugment.js";
import { S3rverProcess } from "../infra/S3rverProcess.js";
import { STREAM } from "./datasets.js";
import { startCacheOnRedis } from "./startCacheOnRedis.js";

const MODEL_CAPACITY = 1_000_000;
const ROUNDS = { full: 2, quick: 2 };
const BUCKET = "rl-data";

interface Round {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMB: number;
  lines: number;
  /** CPU of the proxy (augmenter rows) while the round ran. */
  proxyCpuSeconds: number;
}

/**
 * Warm cache: the augmenter on the same files from a local folder and from the S3 test server,
 * against `jq` and a minimal Node loop (the floor), interleaved round by round.
 */
export const augmenterThroughput: Benchmark = {
  name: "augmenterThroughput",
  title: "Augmenter throughput, warm cache, vs jq and a minimal Node loop",
  description: `The augmenter over the same files with a warm cache (one pass first fills the proxy), from a local folder and from the S3 test server (s3rver), against \`jq -c '. + {seniority: 3}'\` per file and a minimal Node loop that reads, parses, splices a constant and writes (the floor). Whole processes are timed (bash \`time\`: exact CPU), interleaved round by round.`,
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const spec = ctx.quick ? STREAM.quick : STREAM.full;
    const dataset = await ensureDataset(spec, ctx.log);
    const files = dataset.files.slice(0, spec.throughputFiles);
    const inDir = linkFiles(dataset, files, join(ctx.workDir, "in"));

    const redis = await RedisProcess.start();
    ctx.defer(() => redis.close());
    const model = await ModelSimProcess.start(ctx.workDir, MODEL_CAPACITY);
    ctx.defer(() => model.close());
    const proxy = await startCacheOnRedis(ctx, model, redis, MODEL_CAPACITY);
    const s3 = await S3rverProcess.start([BUCKET]);
    ctx.defer(() => s3.close());

    ctx.log(`warming the cache: one augment pass over ${files.length} files`);
    const warm = await runAugment({
      input: inDir,
      output: join(ctx.workDir, "warm-out"),
      proxy: proxy.address,
    });
    const lines = warm.summary.lines.in;
    rmSync(join(ctx.workDir, "warm-out"), { recursive: true, force: true });
    const s3Client = s3.client();
    ctx.defer(() => s3Client.destroy());
    for (const file of files) {
      await s3Client.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `job-postings-raw/${file}`,
          Body: readFileSync(join(inDir, file)),
        }),
      );
    }
    const warmedItems = (await model.stats()).items;

    const augmenterRound = async (round: number, where: "local" | "s3"): Promise<Round> => {
      const cpuBefore = proxy.reading().cpuSeconds;
      const out = join(ctx.workDir, `out-${where}-${round}`);
      const run =
        where === "local"
          ? await runAugment({ input: inDir, output: out, proxy: proxy.address })
          : await runAugment({
              input: `s3://${BUCKET}/job-postings-raw/`,
              output: `s3://${BUCKET}/out-${round}/`,
              errors: `s3://${BUCKET}/errors-${round}/`,
              proxy: proxy.address,
              env: s3.env,
            });
      rmSync(out, { recursive: true, force: true });
      if (run.summary.lines.out !== lines)
        throw new Error(`augment (${where}) wrote ${run.summary.lines.out} of ${lines} lines`);
      return { ...run, lines, proxyCpuSeconds: proxy.reading().cpuSeconds - cpuBefore };
    };
    const variants: Variant<Round>[] = [
      { name: "augmenter, local folder", run: (r) => augmenterRound(r, "local") },
      { name: "augmenter, S3 (s3rver)", run: (r) => augmenterRound(r, "s3") },
      {
        name: "jq -c '. + {seniority: 3}'",
        run: async () => ({
          ...(await runJqBaseline(inDir, join(ctx.workDir, "out-jq"))),
          lines,
          proxyCpuSeconds: 0,
        }),
      },
      {
        name: "Node floor (read, parse, splice, write)",
        run: async () => {
          const floor = await runNodeFloor(inDir, join(ctx.workDir, "out-floor"));
          if (floor.lines !== lines) throw new Error(`node floor wrote ${floor.lines} of ${lines} lines`);
          return { ...floor, proxyCpuSeconds: 0 };
        },
      },
    ];
    const rounds = ctx.quick ? ROUNDS.quick : ROUNDS.full;
    ctx.log(
      `measuring ${variants.length} variants × ${rounds} interleaved rounds on ${formatNumber(lines)} lines`,
    );
    const results = await interleave(variants, rounds);
    if ((await model.stats()).items !== warmedItems)
      throw new Error("the model was called during the warm-cache rounds");

    const rows = [...results].map(([name, runs]) => ({
      name,
      linesPerSecond: median(runs.map((r) => r.lines / r.wallSeconds)),
      cpuPerMillion: median(runs.map((r) => (r.cpuSeconds / r.lines) * 1e6)),
      proxyCpuPerMillion: median(runs.map((r) => (r.proxyCpuSeconds / r.lines) * 1e6)),
      peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
    }));
    const [local, viaS3, jq, floor] = rows as [
      (typeof rows)[0],
      (typeof rows)[0],
      (typeof rows)[0],
      (typeof rows)[0],
    ];
    const vsJq = local.linesPerSecond / jq.linesPerSecond;
    const vsFloor = local.linesPerSecond / floor.linesPerSecond;
    return {
      scale: {
        files: files.length,
        lines,
        MB: Math.round(files.reduce((n, f) => n + readFileSync(join(inDir, f)).length, 0) / 2 ** 20),
        "interleaved rounds": rounds,
        "model-sim capacity (warm-up only)": MODEL_CAPACITY,
      },
      tables: [
        {
          title: "Lines per second and CPU (medians of interleaved rounds)",
          columns: [
            "variant",
            "lines/s",
            "÷ jq",
            "÷ Node floor",
            "CPU s / 1M lines",
            "proxy CPU s / 1M lines",
            "peak RSS MB",
          ],
          rows: rows.map((r) => [
            r.name,
            formatNumber(r.linesPerSecond),
            formatRatio(r.linesPerSecond / jq.linesPerSecond),
            formatRatio(r.linesPerSecond / floor.linesPerSecond),
            formatSig(r.cpuPerMillion),
            r.proxyCpuPerMillion > 0 ? formatSig(r.proxyCpuPerMillion) : "—",
            formatSig(r.peakRssMB),
          ]),
        },
      ],
      targets: [
        {
          target: "augmenter (local) ≥ 2.5 × jq lines/s, warm",
          measured: formatRatio(vsJq),
          met: vsJq >= 2.5,
        },
        {
          target: "augmenter (local) ≥ 0.6 × Node floor lines/s, warm",
          measured: formatRatio(vsFloor),
          met: vsFloor >= 0.6,
        },
        {
          target: "augmenter (S3) ≥ 2.5 × jq lines/s, warm",
          measured: formatRatio(viaS3.linesPerSecond / jq.linesPerSecond),
          met: viaS3.linesPerSecond / jq.linesPerSecond >= 2.5,
        },
      ],
      charts: [
        {
          id: "augmenter-throughput",
          title: "Augmenter throughput, warm cache",
          unit: "lines/s",
          bars: rows.map((r, i) => ({
            label: r.name,
            value: r.linesPerSecond,
            kind: i < 2 ? "system" : "baseline",
          })),
        },
      ],
      metrics: {
        augmenter_local_lines_per_second: local.linesPerSecond,
        augmenter_s3_lines_per_second: viaS3.linesPerSecond,
        jq_lines_per_second: jq.linesPerSecond,
        node_floor_lines_per_second: floor.linesPerSecond,
        augmenter_local_cpu_seconds_per_million_lines: local.cpuPerMillion,
      },
      notes: [
        "Wall time and CPU are each whole process's (bash `time`: exact user + system CPU), start-up included; the augmenter runs `seniority augment --once` with its defaults (2 files at once).",
        "jq runs once per file, as a shell loop would; the Node floor reads, JSON-parses each line and splices a constant — no cache, no network, no validation.",
        "Warm: one augment pass filled the proxy first; the model's item count is checked unchanged over the measured rounds. Each augmenter round writes to a fresh output folder (a done file would be skipped).",
        "The S3 rows go through s3rver on this machine (its CPU competes with the augmenter's).",
      ],
    };
  },
};
