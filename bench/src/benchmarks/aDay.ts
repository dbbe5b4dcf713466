import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { formatNumber } from "../core/formatNumber.js";
import { distinctPairsOf } from "../baselines/modelCallBaselines.js";
import { CacheProcess } from "../infra/CacheProcess.js";
import { ensureDataset, linkFiles } from "../infra/Dataset.js";
import { ModelSimProcess } from "../infra/ModelSimProcess.js";
import { RedisProcess } from "../infra/RedisProcess.js";
import { runAugment } from "../infra/runAugment.js";
import { measurePhase } from "./aDayPhase.js";
import { aDayReport } from "./aDayReport.js";
import { sendPairs } from "../infra/sendPairs.js";
import { STREAM } from "./datasets.js";
import { startCacheOnRedis } from "./startCacheOnRedis.js";

/** The real model's capacity: the day runs against it. */
const MODEL_CAPACITY = 1000;
const WARMUP_CAPACITY = 1_000_000;
/**
 * The SPEC's questions: one average file, and a measured fraction of a day scaled to 8M lines,
 * through the whole flow (augmenter process → proxy process → Redis, model-sim at the real
 * 1000 items/s), against a cache warmed by the stream before it. Where the time goes (cache reads,
 * cache writes, the model) and what each process costs.
 */
export const aDay: Benchmark = {
  name: "aDay",
  title: "A day of data: one file, a day's fraction scaled, cache share, CPU and memory",
  description: `The SPEC's questions, through the whole flow as deployed (augmenter process → proxy process → Redis → model-sim at the real 1000 items/s): the cache is first warmed with every pair of the stream before the day (Redis, then the proxy's L1), then one average file is augmented alone and a measured fraction of a day's files in one \`--once\` run; the day is that fraction scaled by lines to 8M. Cache reads and writes are Redis's own command time (INFO commandstats); the proxy's request and model time come from its Prometheus histograms; CPU and memory of every process from /proc and bash \`time\`.`,
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const spec = ctx.quick ? STREAM.quick : STREAM.full;
    const dataset = await ensureDataset(spec, ctx.log);
    const prefix = dataset.files.slice(0, spec.prefixFiles);
    const day = dataset.files.slice(spec.prefixFiles);
    const redis = await RedisProcess.start();
    ctx.defer(() => redis.close());
    const rc = redis.client();
    ctx.defer(() => rc.disconnect());

    const known = await distinctPairsOf(dataset.dir, prefix);
    ctx.log(
      `warming Redis with the ${formatNumber(known.length)} pairs of the ${prefix.length} files before the day`,
    );
    {
      const fast = await ModelSimProcess.start(ctx.workDir, WARMUP_CAPACITY, "model-sim-warmup");
      const warmProxy = await CacheProcess.start(ctx.workDir, {
        name: "cache-warmup",
        model: fast.address,
        store: redis.url,
        modelCapacity: WARMUP_CAPACITY,
      });
      try {
        await sendPairs(warmProxy.address, known);
      } finally {
        await warmProxy.close();
        await fast.close();
      }
    }
    const model = await ModelSimProcess.start(ctx.workDir, MODEL_CAPACITY);
    ctx.defer(() => model.close());
    const proxy = await startCacheOnRedis(ctx, model, redis, MODEL_CAPACITY);
    ctx.log("filling the proxy's L1 from Redis (a long-running proxy's steady state)");
    await sendPairs(proxy.address, known);
    if ((await model.stats()).items !== 0)
      throw new Error("warm pairs reached the model: the warm-up did not fill Redis");

    // The day's file closest to the mean size goes first, alone: "one average file".
    const average = closestToMean(dataset.dir, day, spec.linesPerFile);
    const others = day.filter((f) => f !== average);
    const single = await measurePhase(ctx, { proxy, model, redis, rc }, () =>
      runAugment({
        file: join(dataset.dir, average),
        output: join(ctx.workDir, "out-single"),
        proxy: proxy.address,
      }),
    );
    const rest = linkFiles(dataset, others, join(ctx.workDir, "day"));
    ctx.log(`the day's fraction: ${others.length} more files`);
    const fraction = await measurePhase(ctx, { proxy, model, redis, rc }, () =>
      runAugment({ input: rest, output: join(ctx.workDir, "out-day"), proxy: proxy.address }),
    );

    return aDayReport({
      single,
      fraction,
      others: others.length,
      prefixFiles: prefix.length,
      dayFiles: day.length,
      readings: { proxy: proxy.reading(), redis: redis.reading(), model: model.reading() },
    });
  },
};

/** The file whose line count is closest to `mean`. */
function closestToMean(dir: string, files: readonly string[], mean: number): string {
  let best = files[0]!;
  let bestGap = Infinity;
  for (const file of files) {
    const text = readFileSync(join(dir, file));
    let lines = 0;
    for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) lines++;
    if (Math.abs(lines - mean) < bestGap) [best, bestGap] = [file, Math.abs(lines - mean)];
  }
  return best;
}
