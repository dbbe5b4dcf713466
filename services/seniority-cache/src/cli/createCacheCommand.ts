import {
  addDialTlsFlags,
  addGrpcServerFlags,
  boolean,
  checkListenHost,
  dialAddress,
  dialTlsSettings,
  durationMs,
  grpcServerSettings,
  hostPort,
  integer,
  number,
  oneOf,
  port,
  type DialTlsSettings,
  type GrpcServerSettings,
} from "@seniority/cli-options";
import { MODEL_IDENTITIES, NORMALIZATION_MODES } from "@seniority/pair-key";
import { Command, Option } from "commander";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../grpc/CacheServer.js";
import {
  DEFAULT_LOCAL_PACE_MARGIN_MS,
  DEFAULT_PACE_LEAD_MS,
  DEFAULT_PACE_MARGIN_MS,
} from "@seniority/seniority-cache";
import { L1_KINDS } from "@seniority/seniority-cache";
import { DEFAULT_EXPECTED_PAIRS } from "@seniority/seniority-cache";
import { queueHeapBudget, queueHeapProblem } from "@seniority/seniority-cache";
import { DEFAULT_STORE_SPEC } from "@seniority/seniority-cache";
import { runCacheCommand, type CacheFlags } from "./runCacheCommand.js";
import { readRedisSecurity, redisSecurityFiles, type RedisSecurity } from "@seniority/redis";
import { storeSpec } from "./storeSpec.js";

/** `--flag <value>` reading SENIORITY_CACHE_<FLAG> too. */
function flag(name: string, help: string): Option {
  const env = `SENIORITY_CACHE_${name.replace(/^--/, "").split(" ")[0]!.replaceAll("-", "_").toUpperCase()}`;
  return new Option(name, help).env(env);
}

/**
 * `seniority cache`: the caching proxy. Prints one line when it serves; SIGTERM or SIGINT stops
 * accepting calls, finishes those in progress, flushes store writes and exits 0.
 * `defaults.host` lets the container entry listen on every interface while the CLI stays on
 * loopback.
 */
export function createCacheCommand(defaults: { host?: string } = {}): Command {
  const command: Command = new Command("cache")
    .description("Run the caching proxy in front of the seniority model")
    .addOption(
      flag("--host <host>", "interface to listen on (gRPC and HTTP)").default(defaults.host ?? "127.0.0.1"),
    )
    .addOption(flag("--port <port>", "gRPC port (0 = any free port)").argParser(port).default(50052))
    .addOption(
      flag("--http-port <port>", "port of /metrics, /healthz, /readyz").argParser(port).default(9464),
    )
    .addOption(
      flag(
        "--admin-port <port>",
        "port of the admin API (Lookup, Invalidate; needs --admin-token-file); default: admin API off",
      ).argParser(port),
    )
    .addOption(
      flag(
        "--admin-host <host>",
        "interface of the admin port (keep it loopback: kubectl port-forward)",
      ).default("127.0.0.1"),
    )
    .addOption(
      flag(
        "--admin-token-file <path>",
        "file holding the admin API's bearer token (re-read when it changes)",
      ),
    )
    .addOption(
      flag("--model <host:port>", "the seniority model (https://host:port: over TLS)")
        .argParser(dialAddress)
        .default("127.0.0.1:50051"),
    )
    .addOption(
      flag(
        "--store <spec>",
        "memory | lmdb:<path> | redis://[user:pass@]host:port[/db] | rediss://… | redis-cluster://h:p,…",
      )
        .argParser(storeSpec)
        .default(DEFAULT_STORE_SPEC),
    )
    .addOption(
      flag("--redis-layout <layout>", "Redis layout: compact (hash buckets) or keys (one key a pair)")
        .choices(["compact", "keys"])
        .default("compact"),
    )
    .addOption(
      flag(
        "--redis-buckets <n>",
        "compact layout: hash buckets (default from --expected-pairs; fixed per namespace once used)",
      ).argParser(integer(1, 2 ** 32)),
    )
    .addOption(
      flag(
        "--expected-pairs <n>",
        "compact layout: distinct pairs the namespace will hold (sizes the buckets)",
      )
        .argParser(integer(1))
        .default(DEFAULT_EXPECTED_PAIRS, `${DEFAULT_EXPECTED_PAIRS} pairs`),
    )
    .addOption(flag("--redis-key-prefix <prefix>", "prefix of every Redis key (default seniority:)"))
    .addOption(flag("--redis-tls-ca <file>", "rediss://: PEM CA certificate(s) to verify Redis with"))
    .addOption(flag("--redis-tls-cert <file>", "rediss://: PEM client certificate (with --redis-tls-key)"))
    .addOption(flag("--redis-tls-key <file>", "rediss://: PEM private key of --redis-tls-cert"))
    .addOption(
      flag(
        "--redis-password-file <file>",
        "file holding the Redis password (the ACL user goes in the URL: rediss://user@host:port)",
      ),
    )
    .addOption(
      flag("--ttl <duration>", "keys layout: expiry per pair, refreshed on hit (e.g. 720h; 0 = none)")
        .argParser(durationMs)
        .default(0, "0 (no expiry)"),
    )
    .addOption(
      flag("--normalization <mode>", "how pairs are keyed").choices(NORMALIZATION_MODES).default("standard"),
    )
    .addOption(
      flag(
        "--model-version <version>",
        "namespace of cached answers; change it when the model changes",
      ).default("v1"),
    )
    .addOption(
      flag(
        "--model-identity <identity>",
        "model: the real model; sim: --model is a simulator (its levels get a namespace of their own)",
      )
        .argParser(oneOf(MODEL_IDENTITIES))
        .default("model"),
    )
    .addOption(
      flag("--l1 <kind>", "in-process L1: compact (~23 B an entry, CLOCK) or lru (lru-cache, ~500 B)")
        .choices(L1_KINDS)
        .default("compact"),
    )
    .addOption(
      flag("--l1-entries <n>", "in-process L1 capacity")
        .argParser(integer(1))
        .default(1_000_000, "1000000 entries"),
    )
    .addOption(
      flag("--max-batch <n>", "items per model batch")
        .argParser(integer(1, 1_000_000))
        .default(1000, "1000 items"),
    )
    .addOption(
      flag("--max-delay-ms <ms>", "longest wait for a batch to fill")
        .argParser(number(0, 60_000))
        .default(5, "5 ms"),
    )
    .addOption(
      flag("--max-in-flight <n>", "model batches in flight at once")
        .argParser(integer(1, 1000))
        .default(2, "2 batches"),
    )
    .addOption(
      flag("--model-capacity <items/s>", "items a second the model is sent, at most")
        .argParser(number(1))
        .default(1000, "1000 items/s"),
    )
    .addOption(
      flag(
        "--pace-margin-ms <ms>",
        `slack added to the 1-second pacing window (default ${DEFAULT_LOCAL_PACE_MARGIN_MS}; ` +
          `${DEFAULT_PACE_MARGIN_MS} with shared pacing, which counts sends and must absorb their jitter)`,
      ).argParser(number(0, 1000)),
    )
    .addOption(
      flag(
        "--pace-lead-ms <ms>",
        "a batch may leave this long before the model should finish the previous one (keeps it busy)",
      )
        .argParser(number(0, 999))
        .default(DEFAULT_PACE_LEAD_MS, `${DEFAULT_PACE_LEAD_MS} ms`),
    )
    .addOption(
      flag(
        "--shared-pacing [bool]",
        "with Redis: replicas on one Redis pace the model together, in Redis (false: each alone)",
      )
        .preset("true")
        .argParser(boolean)
        .default(true),
    )
    .addOption(
      flag(
        "--replicas-hint <n>",
        "replicas sharing the model, at least; while Redis is down each paces itself at capacity / max(n, replicas seen on Redis)",
      )
        .argParser(integer(1, 10_000))
        .default(1, "1 replica"),
    )
    .addOption(
      flag(
        "--peer-address <host:port>",
        "with Redis: where the other replicas reach this one; set, replicas own pairs while Redis is down and ask the owner for its misses",
      ).argParser(hostPort),
    )
    .addOption(
      flag(
        "--claim-ttl-ms <ms>",
        "with Redis: a replica's claim on a pair it infers expires this long after the replica stops refreshing it",
      )
        .argParser(integer(100, 3_600_000))
        .default(10_000, "10000 ms"),
    )
    .addOption(
      flag(
        "--max-queued <n>",
        "bulk items waiting for the model before RESOURCE_EXHAUSTED (default: what the heap limit holds beside L1)",
      ).argParser(integer(1)),
    )
    .addOption(
      flag(
        "--max-queued-interactive <n>",
        "interactive items waiting for the model, a bound of their own (default: a tenth of --max-queued, at least --max-batch)",
      ).argParser(integer(1)),
    )
    .addOption(
      flag("--interactive-max-items <n>", "requests this small go ahead of bulk work")
        .argParser(integer(0))
        .default(100, "100 items"),
    )
    .addOption(
      flag("--model-timeout-ms <ms>", "deadline of one model call")
        .argParser(integer(1))
        .default(10_000, "10000 ms"),
    )
    .addOption(
      flag("--model-retries <n>", "resends of a batch on a transient failure")
        .argParser(integer(0, 10))
        .default(2, "2 resends"),
    )
    .addOption(
      flag("--breaker-failures <n>", "failed batches in a row that open the circuit")
        .argParser(integer(1))
        .default(5, "5 batches"),
    )
    .addOption(
      flag("--breaker-half-open-ms <ms>", "open circuit: wait before a probe batch")
        .argParser(integer(1))
        .default(5000, "5000 ms"),
    )
    .addOption(
      flag("--max-items <n>", "items per request").argParser(integer(1)).default(100_000, "100000 items"),
    )
    .addOption(
      flag("--max-field-bytes <n>", "UTF-8 bytes per company or title")
        .argParser(integer(1))
        .default(1024, "1024 bytes"),
    )
    .addOption(
      flag("--max-message-bytes <n>", "largest request message")
        .argParser(integer(1024))
        .default(DEFAULT_MAX_MESSAGE_BYTES, `${DEFAULT_MAX_MESSAGE_BYTES} bytes (32 MiB)`),
    );
  addDialTlsFlags(command, "model", "SENIORITY_CACHE");
  addGrpcServerFlags(command, "SENIORITY_CACHE");
  command.action(async (flags: ParsedCacheFlags) => {
    let grpc: GrpcServerSettings;
    let modelTls: DialTlsSettings;
    try {
      grpc = grpcServerSettings(flags);
      modelTls = dialTlsSettings(flags, "model");
    } catch (error) {
      command.error(`error: ${(error as Error).message}`, { exitCode: 2 });
    }
    const budget = queueHeapBudget({ l1Entries: flags.l1Entries, l1: flags.l1 });
    const maxQueued = flags.maxQueued ?? budget.defaultMaxQueued;
    if (maxQueued < flags.maxBatch) {
      const why = flags.maxQueued === undefined ? ", derived from the heap limit," : "";
      command.error(
        `error: --max-queued (${maxQueued}${why}) must be at least --max-batch (${flags.maxBatch})`,
        { exitCode: 2 },
      );
    }
    const maxQueuedInteractive =
      flags.maxQueuedInteractive ?? Math.max(Math.ceil(maxQueued / 10), flags.maxBatch);
    const problem = queueHeapProblem(maxQueued + maxQueuedInteractive, budget);
    if (problem) command.error(`error: ${problem}`, { exitCode: 2 });
    if ((flags.adminPort === undefined) !== (flags.adminTokenFile === undefined)) {
      command.error("error: --admin-port and --admin-token-file go together (the admin API needs a token)", {
        exitCode: 2,
      });
    }
    // A bad --host is a usage error like any other bad flag: one line, exit 2.
    await checkListenHost(flags.host).catch((error: Error) =>
      command.error(`error: ${error.message}`, { exitCode: 2 }),
    );
    await checkListenHost(flags.adminHost).catch((error: Error) =>
      command.error(`error: --admin-host: ${error.message}`, { exitCode: 2 }),
    );
    let redisSecurity: RedisSecurity;
    try {
      redisSecurity = readRedisSecurity(redisSecurityFiles(flags), [flags.store]);
    } catch (error) {
      return command.error(`error: ${(error as Error).message}`, { exitCode: 2 });
    }
    await runCacheCommand({ ...flags, maxQueued, maxQueuedInteractive }, { grpc, modelTls }, redisSecurity);
  });
  return command;
}

/** The flags as parsed: the queue bounds are derived from the heap when not given. */
type ParsedCacheFlags = Omit<CacheFlags, "maxQueued" | "maxQueuedInteractive"> & {
  maxQueued?: number;
  maxQueuedInteractive?: number;
};
