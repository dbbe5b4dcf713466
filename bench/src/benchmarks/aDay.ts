import { join } from "node:path";
import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { formatNumber, formatSig } from "../core/formatNumber.js";
import type { ProcReading } from "../core/ProcessSampler.js";
import { parsePrometheus, sumSamples } from "../core/prometheusText.js";
import { distinctPairsOf } from "../baselines/modelCallBaselines.js";
import { CacheProcess } from "../infra/CacheProcess.js";
import { ensureDataset, linkFiles } from "../infra/Dataset.js";
import { ModelSimProcess } from "../infra/ModelSimProcess.js";
import { RedisProcess } from "../infra/RedisProcess.js";
import { commandCalls, commandSeconds, redisCommandStats } from "../infra/redisCommandStats.js";
import { runAugment, type AugmentRun } from "../infra/runAugment.js";
import { sendPairs } from "../infra/sendPairs.js";
import { STREAM } from "./datasets.js";

const DAY_LINES = 8_000_000;
const DAY_FILES = 1440;
/** The real model's capacity: the day runs against it. */
const MODEL_CAPACITY = 1000;
const WARMUP_CAPACITY = 1_000_000;
const MB = 2 ** 20;
const READ_COMMANDS = ["hmget", "mget", "get"];
const WRITE_COMMANDS = ["hset", "set", "setex", "hsetnx", "evalsha", "eval"];

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
    const redis = await RedisProcess.start(ctx.workDir);
    ctx.defer(() => redis.close());
    const rc = redis.client();
    ctx.defer(() => rc.disconnect());

    const known = await distinctPairsOf(dataset.dir, prefix);
    ctx.log(`warming Redis with the ${formatNumber(known.length)} pairs of the ${prefix.length} files before the day`);
    {
      const fast = await ModelSimProcess.start(ctx.workDir, WARMUP_CAPACITY, "model-sim-warmup");
      const warmProxy = await CacheProcess.start(ctx.workDir, { name: "cache-warmup", model: fast.address, store: redis.url, modelCapacity: WARMUP_CAPACITY });
      try {
        await sendPairs(warmProxy.address, known);
      } finally {
        await warmProxy.close();
        await fast.close();
      }
    }
    const model = await ModelSimProcess.start(ctx.workDir, MODEL_CAPACITY);
    ctx.defer(() => model.close());
    const proxy = await CacheProcess.start(ctx.workDir, { name: "cache", model: model.address, store: redis.url, modelCapacity: MODEL_CAPACITY });
    ctx.defer(() => proxy.close());
    ctx.log("filling the proxy's L1 from Redis (a long-running proxy's steady state)");
    await sendPairs(proxy.address, known);
    if ((await model.stats()).items !== 0) throw new Error("warm pairs reached the model: the warm-up did not fill Redis");

    const single = await measurePhase(ctx, { proxy, model, redis, rc }, () =>
      runAugment({ file: join(dataset.dir, day[0]!), output: join(ctx.workDir, "out-single"), proxy: proxy.address }),
    );
    const rest = linkFiles(dataset, day.slice(1), join(ctx.workDir, "day"));
    ctx.log(`the day's fraction: ${day.length - 1} more files`);
    const fraction = await measurePhase(ctx, { proxy, model, redis, rc }, () =>
      runAugment({ input: rest, output: join(ctx.workDir, "out-day"), proxy: proxy.address }),
    );

    const lines = single.run.summary.lines.in + fraction.run.summary.lines.in;
    const seconds = single.run.wallSeconds + fraction.run.wallSeconds;
    const scale = DAY_LINES / lines;
    const both = [single, fraction];
    const total = (f: (p: Phase) => number) => both.reduce((s, p) => s + f(p), 0);
    const proxyRequestSeconds = total((p) => p.proxyRequestSeconds);
    const modelSeconds = total((p) => p.modelLatencySeconds);
    const storeRead = total((p) => p.redisReadSeconds);
    const storeWrite = total((p) => p.redisWriteSeconds);
    const share = (x: number) => `${((100 * x) / seconds).toFixed(1)}%`;
    const cpu = {
      augmenter: total((p) => p.run.cpuSeconds),
      proxy: total((p) => p.proxyCpu),
      redis: total((p) => p.redisCpu),
      model: total((p) => p.modelCpu),
    };
    const proxyNow = proxy.reading();
    const redisNow = redis.service.reading();
    const modelNow = model.reading();
    const augmenterPeak = Math.max(single.run.peakRssMB, fraction.run.peakRssMB);
    const dayHours = (seconds * scale) / 3600;
    return {
      scale: {
        "files before the day (cache warm-up)": prefix.length,
        "day fraction files": day.length,
        "day fraction lines": lines,
        "share of a day (8M lines)": `${((100 * lines) / DAY_LINES).toFixed(1)}%`,
        "model-sim capacity (items/s)": MODEL_CAPACITY,
        "proxy pacing (items/s)": MODEL_CAPACITY,
      },
      tables: [
        {
          title: "Time through the whole flow (augmenter process → proxy process → Redis → model-sim)",
          columns: ["what", "files", "lines", "seconds", "lines/s", "new pairs to the model"],
          rows: [
            ["one file", 1, formatNumber(single.run.summary.lines.in), formatSig(single.run.wallSeconds), formatNumber(single.run.summary.lines.in / single.run.wallSeconds), formatNumber(single.modelItems)],
            [`day fraction (${day.length - 1} files)`, day.length - 1, formatNumber(fraction.run.summary.lines.in), formatSig(fraction.run.wallSeconds), formatNumber(fraction.run.summary.lines.in / fraction.run.wallSeconds), formatNumber(fraction.modelItems)],
            [`a day, scaled ×${formatSig(scale)} by lines`, DAY_FILES, formatNumber(DAY_LINES), formatNumber(seconds * scale), formatNumber(lines / seconds), formatNumber(total((p) => p.modelItems) * scale)],
          ],
        },
        {
          title: "Where the time goes (sums over the measured runs; server-side)",
          columns: ["part", "seconds", "share of wall time"],
          rows: [
            ["augmenter wall time", formatSig(seconds), "100%"],
            ["inside the proxy (request duration, summed over concurrent requests)", formatSig(proxyRequestSeconds), share(proxyRequestSeconds)],
            ["model batches (proxy's model latency sum)", formatSig(modelSeconds), share(modelSeconds)],
            ["cache reads: Redis time in read commands", formatSig(storeRead), share(storeRead)],
            ["cache writes: Redis time in write commands", formatSig(storeWrite), share(storeWrite)],
          ],
        },
        {
          title: "CPU and memory of each process (the day scaled by lines)",
          columns: ["process", "CPU s measured", "CPU s a day", "mean cores while running", "RSS MB now", "peak RSS MB"],
          rows: [
            ["augmenter (seniority augment)", formatSig(cpu.augmenter), formatNumber(cpu.augmenter * scale), formatSig(cpu.augmenter / seconds), "—", formatSig(augmenterPeak)],
            ["proxy (seniority cache)", formatSig(cpu.proxy), formatNumber(cpu.proxy * scale), formatSig(cpu.proxy / seconds), formatSig(proxyNow.rssBytes / MB), formatSig(proxyNow.hwmBytes / MB)],
            ["redis-server", formatSig(cpu.redis), formatNumber(cpu.redis * scale), formatSig(cpu.redis / seconds), formatSig(redisNow.rssBytes / MB), formatSig(redisNow.hwmBytes / MB)],
            ["model-sim", formatSig(cpu.model), formatNumber(cpu.model * scale), formatSig(cpu.model / seconds), formatSig(modelNow.rssBytes / MB), formatSig(modelNow.hwmBytes / MB)],
          ],
        },
      ],
      targets: [
        {
          target: "a day's 8M lines take less than a day (keeps up with the scraper)",
          measured: `${formatSig(dayHours)} h`,
          met: dayHours < 24,
        },
      ],
      charts: [],
      metrics: {
        one_file_seconds: single.run.wallSeconds,
        one_file_lines: single.run.summary.lines.in,
        fraction_lines: lines,
        fraction_seconds: seconds,
        day_seconds_scaled: seconds * scale,
        proxy_request_seconds: proxyRequestSeconds,
        redis_read_seconds: storeRead,
        redis_write_seconds: storeWrite,
        augmenter_cpu_seconds_per_day: cpu.augmenter * scale,
        proxy_cpu_seconds_per_day: cpu.proxy * scale,
      },
      notes: [
        `Measured: ${day.length} consecutive files (${formatNumber(lines)} lines, ${((100 * lines) / DAY_LINES).toFixed(1)}% of a day's 8M lines) after ${prefix.length} earlier files whose pairs were cached first (Redis, then the proxy's L1 from Redis); the day figures are the measured ones × ${formatSig(scale)}. The first day file ran alone (one file); the rest in one \`augment --once\` run (2 files at once).`,
        "Redis command time is the server's own execution time (INFO commandstats), without the network round trip; the proxy's request duration is summed over concurrent requests, so shares can overlap and exceed the wall time together.",
        "Files arrive one a minute; a day through the flow in far less than 24 h means one augmenter keeps up with room to spare.",
      ],
    };
  },
};

interface Phase {
  run: AugmentRun;
  modelItems: number;
  proxyRequestSeconds: number;
  modelLatencySeconds: number;
  redisReadSeconds: number;
  redisWriteSeconds: number;
  redisReadCalls: number;
  proxyCpu: number;
  redisCpu: number;
  modelCpu: number;
}

interface Services {
  proxy: CacheProcess;
  model: ModelSimProcess;
  redis: RedisProcess;
  rc: ReturnType<RedisProcess["client"]>;
}

async function measurePhase(ctx: BenchContext, s: Services, run: () => Promise<AugmentRun>): Promise<Phase> {
  await s.rc.config("RESETSTAT");
  const modelBefore = (await s.model.stats()).items;
  const metricsBefore = parsePrometheus(await s.proxy.metrics());
  const readings: [ProcReading, ProcReading, ProcReading] = [s.proxy.reading(), s.redis.service.reading(), s.model.reading()];
  const result = await run();
  const after = [s.proxy.reading(), s.redis.service.reading(), s.model.reading()];
  const metricsAfter = parsePrometheus(await s.proxy.metrics());
  const commands = await redisCommandStats(s.rc);
  const delta = (name: string) => sumSamples(metricsAfter, name) - sumSamples(metricsBefore, name);
  ctx.log(`${result.summary.lines.in} lines in ${result.wallSeconds.toFixed(1)} s`);
  return {
    run: result,
    modelItems: (await s.model.stats()).items - modelBefore,
    proxyRequestSeconds: delta("seniority_cache_request_duration_seconds_sum"),
    modelLatencySeconds: delta("seniority_cache_model_latency_seconds_sum"),
    redisReadSeconds: commandSeconds(commands, READ_COMMANDS),
    redisWriteSeconds: commandSeconds(commands, WRITE_COMMANDS),
    redisReadCalls: commandCalls(commands, READ_COMMANDS),
    proxyCpu: after[0]!.cpuSeconds - readings[0].cpuSeconds,
    redisCpu: after[1]!.cpuSeconds - readings[1].cpuSeconds,
    modelCpu: after[2]!.cpuSeconds - readings[2].cpuSeconds,
  };
}
