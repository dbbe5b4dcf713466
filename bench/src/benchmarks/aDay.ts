import { readFileSync } from "node:fs";
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
import {
  commandCalls,
  commandSeconds,
  redisCommandStats,
  type CommandStats,
} from "../infra/redisCommandStats.js";
import { runAugment, type AugmentRun } from "../infra/runAugment.js";
import { sendPairs } from "../infra/sendPairs.js";
import { STREAM } from "./datasets.js";

const DAY_LINES = 8_000_000;
const DAY_FILES = 1440;
/** The real model's capacity: the day runs against it. */
const MODEL_CAPACITY = 1000;
const WARMUP_CAPACITY = 1_000_000;
const MB = 2 ** 20;
/**
 * Redis commands by what they do for the default compact layout (answers live in hashes; Redis
 * counts commands run inside Lua scripts under their own names too). GET/SET/PEXPIRE/DEL are
 * replicas' per-pair claims, Z* and TIME the shared pacing; EVAL/EVALSHA wrap the scripts.
 */
const READ_COMMANDS = ["hmget", "hget", "mget"];
const WRITE_COMMANDS = ["hset"];
const SCRIPT_COMMANDS = ["evalsha", "eval"];
/** A store-operation histogram (label operation="get"|"set"), used when the proxy exports one. */
const STORE_DURATION_SUM = "seniority_cache_store_duration_seconds_sum";

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
    const proxy = await CacheProcess.start(ctx.workDir, {
      name: "cache",
      model: model.address,
      store: redis.url,
      modelCapacity: MODEL_CAPACITY,
    });
    ctx.defer(() => proxy.close());
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

    const lines = single.run.summary.lines.in + fraction.run.summary.lines.in;
    const seconds = single.run.wallSeconds + fraction.run.wallSeconds;
    const scale = DAY_LINES / lines;
    const both = [single, fraction];
    const total = (f: (p: Phase) => number) => both.reduce((s, p) => s + f(p), 0);
    const proxyRequestSeconds = total((p) => p.proxyRequestSeconds);
    const modelSeconds = total((p) => p.modelLatencySeconds);
    const storeRead = total((p) => p.redisReadSeconds);
    const storeWrite = total((p) => p.redisWriteSeconds);
    const redisOther = total((p) => p.redisOtherSeconds);
    const redisByCommand = new Map<string, { calls: number; usec: number }>();
    for (const p of both) {
      for (const [name, c] of p.redisCommands) {
        const sum = redisByCommand.get(name) ?? { calls: 0, usec: 0 };
        redisByCommand.set(name, { calls: sum.calls + c.calls, usec: sum.usec + c.usec });
      }
    }
    const optional = (f: (p: Phase) => number | undefined) =>
      both.every((p) => f(p) !== undefined) ? both.reduce((sum, p) => sum + f(p)!, 0) : undefined;
    const storeGet = optional((p) => p.storeGetSeconds);
    const storeSet = optional((p) => p.storeSetSeconds);
    const share = (x: number) => `${((100 * x) / seconds).toFixed(1)}%`;
    const cpu = {
      augmenter: total((p) => p.run.cpuSeconds),
      proxy: total((p) => p.proxyCpu),
      redis: total((p) => p.redisCpu),
      model: total((p) => p.modelCpu),
    };
    const proxyNow = proxy.reading();
    const redisNow = redis.reading();
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
          columns: [
            "what",
            "files",
            "lines",
            "seconds",
            "seconds a file",
            "lines/s",
            "new pairs to the model",
          ],
          rows: [
            [
              "one average file, alone",
              1,
              formatNumber(single.run.summary.lines.in),
              formatSig(single.run.wallSeconds),
              formatSig(single.run.wallSeconds),
              formatNumber(single.run.summary.lines.in / single.run.wallSeconds),
              formatNumber(single.modelItems),
            ],
            [
              `the rest of the day fraction (${others.length} files)`,
              others.length,
              formatNumber(fraction.run.summary.lines.in),
              formatSig(fraction.run.wallSeconds),
              formatSig(fraction.run.wallSeconds / others.length),
              formatNumber(fraction.run.summary.lines.in / fraction.run.wallSeconds),
              formatNumber(fraction.modelItems),
            ],
            [
              `a day, scaled ×${formatSig(scale)} by lines`,
              DAY_FILES,
              formatNumber(DAY_LINES),
              formatNumber(seconds * scale),
              formatSig((seconds * scale) / DAY_FILES),
              formatNumber(lines / seconds),
              formatNumber(total((p) => p.modelItems) * scale),
            ],
          ],
        },
        {
          title: "Where the time goes (sums over the measured runs; server-side)",
          columns: ["part", "seconds", "share of wall time"],
          rows: [
            ["augmenter wall time", formatSig(seconds), "100%"],
            [
              "inside the proxy (request duration, summed over concurrent requests)",
              formatSig(proxyRequestSeconds),
              share(proxyRequestSeconds),
            ],
            ["model batches (proxy's model latency sum)", formatSig(modelSeconds), share(modelSeconds)],
            ["cache reads: Redis time in read commands", formatSig(storeRead), share(storeRead)],
            ["cache writes: Redis time in write commands", formatSig(storeWrite), share(storeWrite)],
            [
              "Redis time in claims and shared pacing (other commands)",
              formatSig(redisOther),
              share(redisOther),
            ],
            ...(storeGet === undefined || storeSet === undefined
              ? []
              : [
                  [
                    "cache reads: the proxy's store get time (round trips)",
                    formatSig(storeGet),
                    share(storeGet),
                  ],
                  [
                    "cache writes: the proxy's store set time (round trips)",
                    formatSig(storeSet),
                    share(storeSet),
                  ],
                ]),
          ],
        },
        {
          title: "Who answered: lines → pairs asked of the proxy → the tier that answered (measured runs)",
          columns: ["step", "count"],
          rows: [
            ["lines", formatNumber(lines)],
            [
              "pairs answered by the augmenter's local LRU",
              formatNumber(total((p) => p.run.summary.localCacheHits)),
            ],
            ["distinct pairs asked of the proxy", formatNumber(total((p) => p.run.summary.pairsRequested))],
            ["… answered from the proxy's L1", formatNumber(total((p) => p.tiers.l1))],
            ["… answered from Redis", formatNumber(total((p) => p.tiers.store))],
            ["… sent to the model (new pairs)", formatNumber(total((p) => p.tiers.model))],
            ["Redis read commands", formatNumber(total((p) => p.redisReadCalls))],
          ],
        },
        {
          title: "Redis server time by command (measured runs; INFO commandstats)",
          columns: ["command", "calls", "seconds"],
          rows: [...redisByCommand]
            .filter(([name]) => !isBenchCommand(name))
            .sort((a, b) => b[1].usec - a[1].usec)
            .slice(0, 10)
            .map(([name, c]) => [name.toUpperCase(), formatNumber(c.calls), formatSig(c.usec / 1e6)]),
        },
        {
          title: "CPU and memory of each process (the day scaled by lines)",
          columns: [
            "process",
            "CPU s measured",
            "CPU s a day",
            "mean cores while running",
            "RSS MB now",
            "peak RSS MB",
          ],
          rows: [
            [
              "augmenter (seniority augment)",
              formatSig(cpu.augmenter),
              formatNumber(cpu.augmenter * scale),
              formatSig(cpu.augmenter / seconds),
              "—",
              formatSig(augmenterPeak),
            ],
            [
              "proxy (seniority cache)",
              formatSig(cpu.proxy),
              formatNumber(cpu.proxy * scale),
              formatSig(cpu.proxy / seconds),
              formatSig(proxyNow.rssBytes / MB),
              formatSig(proxyNow.hwmBytes / MB),
            ],
            [
              "redis-server",
              formatSig(cpu.redis),
              formatNumber(cpu.redis * scale),
              formatSig(cpu.redis / seconds),
              formatSig(redisNow.rssBytes / MB),
              formatSig(redisNow.hwmBytes / MB),
            ],
            [
              "model-sim",
              formatSig(cpu.model),
              formatNumber(cpu.model * scale),
              formatSig(cpu.model / seconds),
              formatSig(modelNow.rssBytes / MB),
              formatSig(modelNow.hwmBytes / MB),
            ],
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
        `Measured: ${day.length} consecutive files (${formatNumber(lines)} lines, ${((100 * lines) / DAY_LINES).toFixed(1)}% of a day's 8M lines) after ${prefix.length} earlier files whose pairs were cached first (Redis, then the proxy's L1 from Redis); the day figures are the measured ones × ${formatSig(scale)}. The day's file closest to the mean size ran first, alone (\`seniority augment <file>\`, process start included); the rest in one \`augment --once\` run (2 files at once), where "seconds a file" is its wall time ÷ files.`,
        "Redis command time is the server's own execution time (INFO commandstats, commands inside Lua scripts counted under their own names), without the network round trip; for the compact layout HGET/HMGET are cache reads, HSET writes, GET/SET/PEXPIRE/DEL the replicas' claims and Z*/TIME the shared pacing; the proxy's request duration is summed over concurrent requests, so shares can overlap and exceed the wall time together.",
        "Files arrive one a minute; a day through the flow in far less than 24 h means one augmenter keeps up with room to spare.",
      ],
    };
  },
};

interface Phase {
  run: AugmentRun;
  /** The proxy's own timing of store reads and writes, when it exports them (client side, round trip included). */
  storeGetSeconds: number | undefined;
  storeSetSeconds: number | undefined;
  modelItems: number;
  proxyRequestSeconds: number;
  modelLatencySeconds: number;
  redisReadSeconds: number;
  redisWriteSeconds: number;
  redisReadCalls: number;
  /** Redis time in commands that are neither reads, writes nor script wrappers. */
  redisOtherSeconds: number;
  redisCommands: CommandStats;
  /** Distinct pairs of the proxy's requests by the tier that answered them. */
  tiers: { l1: number; store: number; model: number };
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
  const readings: [ProcReading, ProcReading, ProcReading] = [
    s.proxy.reading(),
    s.redis.reading(),
    s.model.reading(),
  ];
  const result = await run();
  const after = [s.proxy.reading(), s.redis.reading(), s.model.reading()];
  const metricsAfter = parsePrometheus(await s.proxy.metrics());
  const commands = await redisCommandStats(s.rc);
  const delta = (name: string, where: Record<string, string> = {}) =>
    sumSamples(metricsAfter, name, where) - sumSamples(metricsBefore, name, where);
  const hasStoreTimes = metricsAfter.some((m) => m.name === STORE_DURATION_SUM);
  ctx.log(`${result.summary.lines.in} lines in ${result.wallSeconds.toFixed(1)} s`);
  return {
    run: result,
    modelItems: (await s.model.stats()).items - modelBefore,
    proxyRequestSeconds: delta("seniority_cache_request_duration_seconds_sum"),
    storeGetSeconds: hasStoreTimes ? delta(STORE_DURATION_SUM, { operation: "get" }) : undefined,
    storeSetSeconds: hasStoreTimes ? delta(STORE_DURATION_SUM, { operation: "set" }) : undefined,
    modelLatencySeconds: delta("seniority_cache_model_latency_seconds_sum"),
    redisReadSeconds: commandSeconds(commands, READ_COMMANDS),
    redisWriteSeconds: commandSeconds(commands, WRITE_COMMANDS),
    redisReadCalls: commandCalls(commands, READ_COMMANDS),
    redisOtherSeconds: commandSeconds(
      commands,
      [...commands.keys()].filter(
        (c) => ![...READ_COMMANDS, ...WRITE_COMMANDS, ...SCRIPT_COMMANDS, "config", "info"].includes(c),
      ),
    ),
    redisCommands: commands,
    tiers: {
      l1: delta("seniority_cache_lookups_total", { tier: "l1" }),
      store: delta("seniority_cache_lookups_total", { tier: "store" }),
      model: delta("seniority_cache_lookups_total", { tier: "model" }),
    },
    proxyCpu: after[0]!.cpuSeconds - readings[0].cpuSeconds,
    redisCpu: after[1]!.cpuSeconds - readings[1].cpuSeconds,
    modelCpu: after[2]!.cpuSeconds - readings[2].cpuSeconds,
  };
}

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

/** The benchmark's own commands (resetting and reading the stats), left out of the figures. */
function isBenchCommand(name: string): boolean {
  return name.startsWith("config") || name.startsWith("info");
}
