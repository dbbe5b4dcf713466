import type { BenchContext } from "../core/Benchmark.js";
import type { ProcReading } from "../core/ProcessSampler.js";
import { parsePrometheus, sumSamples } from "../core/prometheusText.js";
import type { CacheProcess } from "../infra/CacheProcess.js";
import type { ModelSimProcess } from "../infra/ModelSimProcess.js";
import type { RedisProcess } from "../infra/RedisProcess.js";
import {
  commandCalls,
  commandSeconds,
  redisCommandStats,
  type CommandStats,
} from "../infra/redisCommandStats.js";
import type { AugmentRun } from "../infra/runAugment.js";

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

/** What one measured augment run of aDay cost, across the augmenter, proxy, Redis and model-sim. */
export interface Phase {
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

export interface Services {
  proxy: CacheProcess;
  model: ModelSimProcess;
  redis: RedisProcess;
  rc: ReturnType<RedisProcess["client"]>;
}

export async function measurePhase(
  ctx: BenchContext,
  s: Services,
  run: () => Promise<AugmentRun>,
): Promise<Phase> {
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

export /** The benchmark's own commands (resetting and reading the stats), left out of the figures. */
function isBenchCommand(name: string): boolean {
  return name.startsWith("config") || name.startsWith("info");
}
