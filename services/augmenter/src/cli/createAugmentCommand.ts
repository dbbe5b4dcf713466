import {
  addDialTlsFlags,
  boolean,
  dialAddress,
  durationMs,
  integer,
  oneOf,
  port,
} from "@seniority/cli-options";
import { availableParallelism } from "node:os";
import { Command, Option } from "commander";
import { IN_PROCESS_SIM } from "./createEmbeddedResolver.js";
import { s3CliOptions } from "./s3CliOptions.js";
import { leasesUrl, leaseTtl } from "../leases/leaseArgs.js";
import { DEFAULT_CHUNK_LINES, DEFAULT_MAX_LINE_BYTES } from "../file/processFile.js";
import { DEFAULT_LEASE_TTL_MS } from "../leases/RedisFileLeases.js";
import { DEFAULT_SPILL_BYTES } from "../file/SpillBuffer.js";
import { runAugmentCommand, type AugmentFlags } from "./runAugmentCommand.js";

/**
 * Files processed at once by default. A file's time is about half waiting (its puts' fsyncs, the
 * proxy): with more files in flight the waits overlap the work of others (measured on 120 files,
 * 2 cores: 2 → 6.2 s, 4 → 5.8 s, 8 → 5.5 s, 16 → 6.5 s). Memory grows by about one file's
 * output each (at most `spillBytes` of it).
 */
const DEFAULT_CONCURRENCY = 8;

/**
 * Parse threads by default: one per core beyond the first, at most 2 (the main thread, which
 * reads, resolves and writes, is the limit beyond that); none on one core.
 */
const DEFAULT_PARSE_THREADS = Math.min(2, availableParallelism() - 1);

/**
 * `seniority augment`: `--once` (drain what is pending, exit 1 naming failed files), `--watch`
 * (poll until SIGTERM/SIGINT, then drain within --grace and exit 0), or one file given as a URI.
 * Every flag also reads a SENIORITY_* variable; S3 settings also come from the standard AWS ones.
 */
export function createAugmentCommand(): Command {
  const command = new Command("augment")
    .description("Add seniority levels to JSONL job postings (S3 or a directory), exactly once in effect")
    .argument("[file]", "one input file to augment (s3://bucket/prefix/name.jsonl, file:// URI or path)")
    .addOption(
      new Option("--input <uri>", "input folder: s3://bucket/prefix/ or a directory").env("SENIORITY_INPUT"),
    )
    .addOption(new Option("--output <uri>", "output folder (same file names)").env("SENIORITY_OUTPUT"))
    .addOption(
      new Option("--errors <uri>", 'errors folder (default: the output\'s own prefix + "-errors/")').env(
        "SENIORITY_ERRORS",
      ),
    )
    .addOption(
      new Option(
        "--proxy <host:port>",
        "the seniority caching proxy (gRPC; https://host:port: TLS); give it or --model",
      )
        .env("SENIORITY_PROXY")
        .argParser(dialAddress),
    )
    .addOption(
      new Option(
        "--model <host:port|sim>",
        "without --proxy: the model, with the cache in this process; sim: model-sim in-process (simulated levels)",
      )
        .env("SENIORITY_MODEL")
        .argParser(modelArg),
    )
    .addOption(
      new Option(
        "--store <spec>",
        "without --proxy: the cache's store, lmdb:<path>, memory or redis://… (default: lmdb:./.seniority/cache)",
      ).env("SENIORITY_STORE"),
    )
    .addOption(boolFlag("--once", "process every pending file, oldest first, then exit", "SENIORITY_ONCE"))
    .addOption(boolFlag("--watch", "keep polling for new files until SIGTERM", "SENIORITY_WATCH"))
    .addOption(
      new Option("--interval <duration>", "poll interval in --watch")
        .env("SENIORITY_INTERVAL")
        .argParser(durationMs)
        .default(30_000, "30s"),
    )
    .addOption(
      new Option("--concurrency <n>", "files processed at once")
        .env("SENIORITY_CONCURRENCY")
        .argParser(integer(1, 64))
        .default(DEFAULT_CONCURRENCY, `${DEFAULT_CONCURRENCY} files`),
    )
    .addOption(
      new Option("--chunk-lines <n>", "lines resolved and written together (memory bound)")
        .env("SENIORITY_CHUNK_LINES")
        .argParser(integer(1, 1_000_000))
        .default(DEFAULT_CHUNK_LINES, `${DEFAULT_CHUNK_LINES} lines`),
    )
    .addOption(
      new Option("--max-line-bytes <n>", "longer lines are reported as bad")
        .env("SENIORITY_MAX_LINE_BYTES")
        .argParser(integer(1024, 256 * 1024 * 1024))
        .default(DEFAULT_MAX_LINE_BYTES, `${DEFAULT_MAX_LINE_BYTES} bytes (1 MiB)`),
    )
    .addOption(
      new Option("--parse-threads <n>", "worker threads parsing lines (0 = parse in the main thread)")
        .env("SENIORITY_PARSE_THREADS")
        .argParser(integer(0, 64))
        .default(DEFAULT_PARSE_THREADS, "cores − 1, at most 2"),
    )
    .addOption(
      new Option(
        "--spill-bytes <n>",
        "output bytes of a file kept in memory; beyond, a temp file in --spill-dir",
      )
        .env("SENIORITY_SPILL_BYTES")
        .argParser(integer(0, 2 ** 31 - 1))
        .default(DEFAULT_SPILL_BYTES, `${DEFAULT_SPILL_BYTES} bytes (8 MiB)`),
    )
    .addOption(
      new Option("--spill-dir <path>", "writable directory for those temp files (default: $TMPDIR)").env(
        "SENIORITY_SPILL_DIR",
      ),
    )
    .addOption(
      new Option("--local-cache-entries <n>", "exact pairs remembered in process (0 = none)")
        .env("SENIORITY_LOCAL_CACHE_ENTRIES")
        .argParser(integer(0, 100_000_000))
        .default(100_000, "100000 pairs"),
    )
    .addOption(
      new Option("--batch-size <n>", "pairs per gRPC call")
        .env("SENIORITY_BATCH_SIZE")
        .argParser(integer(1, 1000))
        .default(1000, "1000 pairs"),
    )
    .addOption(
      new Option("--rpc-concurrency <n>", "gRPC calls in flight")
        .env("SENIORITY_RPC_CONCURRENCY")
        .argParser(integer(1, 256))
        .default(4, "4 calls"),
    )
    .addOption(
      new Option("--deadline <duration>", "deadline of one batch, retries included")
        .env("SENIORITY_DEADLINE")
        .argParser(durationMs)
        .default(30_000, "30s"),
    )
    .addOption(
      new Option("--retries <n>", "retries of a batch on UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED")
        .env("SENIORITY_RETRIES")
        .argParser(integer(0, 100))
        .default(5, "5 resends"),
    )
    .addOption(
      new Option("--priority <lane>", "lane asked of the proxy")
        .env("SENIORITY_PRIORITY")
        .argParser(oneOf(["bulk", "interactive"] as const))
        .default("bulk"),
    )
    .addOption(
      new Option("--grace <duration>", "on SIGTERM, time to finish current files before aborting them")
        .env("SENIORITY_GRACE")
        .argParser(durationMs)
        .default(30_000, "30s"),
    )
    .addOption(
      new Option("--leases <url>", "share files with other replicas through leases in Redis (default: none)")
        .env("SENIORITY_LEASES")
        .argParser(leasesUrl),
    )
    .addOption(
      new Option(
        "--redis-tls-ca <file>",
        "rediss:// (--leases, --store): PEM CA certificate(s) to verify Redis with",
      ).env("SENIORITY_REDIS_TLS_CA"),
    )
    .addOption(
      new Option("--redis-tls-cert <file>", "rediss://: PEM client certificate (with --redis-tls-key)").env(
        "SENIORITY_REDIS_TLS_CERT",
      ),
    )
    .addOption(
      new Option("--redis-tls-key <file>", "rediss://: PEM private key of --redis-tls-cert").env(
        "SENIORITY_REDIS_TLS_KEY",
      ),
    )
    .addOption(
      new Option(
        "--redis-password-file <file>",
        "file holding the Redis password of --leases and --store (the ACL user goes in the URL)",
      ).env("SENIORITY_REDIS_PASSWORD_FILE"),
    )
    .addOption(
      new Option("--lease-ttl <duration>", "a dead replica's file is taken over this long after it stopped")
        .env("SENIORITY_LEASE_TTL")
        .argParser(leaseTtl)
        .default(DEFAULT_LEASE_TTL_MS, "30s"),
    )
    .addOption(
      new Option("--start-after <key>", "ignore input keys up to and including this one").env(
        "SENIORITY_START_AFTER",
      ),
    )
    .addOption(
      boolFlag(
        "--rescan",
        "ignore the checkpoint (_checkpoint.json in --output): verify every input against its output",
        "SENIORITY_RESCAN",
      ),
    )
    .addOption(
      new Option("--http-port <port>", "serve /metrics, /healthz, /readyz (default: off)")
        .env("SENIORITY_HTTP_PORT")
        .argParser(port),
    )
    .addOption(
      boolFlag(
        "--progress",
        "progress bar on stderr (default: with --once on a terminal)",
        "SENIORITY_PROGRESS",
      ),
    );
  addDialTlsFlags(command, "proxy", "SENIORITY");
  addDialTlsFlags(command, "model", "SENIORITY");
  for (const option of s3CliOptions()) command.addOption(option);
  return command.action(async (file: string | undefined, flags: AugmentFlags) => {
    await runAugmentCommand(command, file, flags);
  });
}

/** `--model`: "[https://]host:port" of a model, or "sim" (IN_PROCESS_SIM) for model-sim in this process. */
function modelArg(value: string): string {
  return value.trim() === IN_PROCESS_SIM ? IN_PROCESS_SIM : dialAddress(value);
}

/** A flag that also takes an explicit value, so its variable can say "false" too. */
function boolFlag(flags: string, description: string, env: string): Option {
  return new Option(`${flags} [bool]`, description).env(env).preset("true").argParser(boolean);
}
