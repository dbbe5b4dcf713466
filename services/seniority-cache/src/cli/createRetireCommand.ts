import { durationMs, integer } from "@seniority/cli-options";
import {
  createRedisClient,
  readRedisSecurity,
  redisSecurityFiles,
  type RedisSecurity,
} from "@seniority/redis";
import {
  DEFAULT_KEY_PREFIX,
  DEFAULT_RETIRE_BATCH,
  DEFAULT_RETIRE_PAUSE_MS,
  NamespaceLiveError,
  retireNamespace,
  type RetireProgress,
} from "@seniority/seniority-cache";
import { redactUrls } from "@seniority/telemetry";
import { redisSecurityOptions } from "./redisSecurityOptions.js";
import { Command, InvalidArgumentError, Option } from "commander";

interface RetireFlags {
  store: string;
  redisKeyPrefix: string;
  batch: number;
  pause: number;
  cursor: string;
  dryRun?: boolean;
  force?: boolean;
  redisTlsCa?: string;
  redisTlsCert?: string;
  redisTlsKey?: string;
  redisPasswordFile?: string;
}

/** Progress lines on stderr at most this often, ms (and always the last one). */
const PROGRESS_EVERY_MS = 1000;

/** `--flag <value>` of `seniority retire`, reading SENIORITY_RETIRE_<FLAG> too. */
function retireFlag(name: string, help: string): Option {
  const env = `SENIORITY_RETIRE_${name.replace(/^--/, "").split(" ")[0]!.replaceAll("-", "_").toUpperCase()}`;
  return new Option(name, help).env(env);
}

/**
 * `seniority retire <namespace> --store redis://…`: drops an old namespace's keys (a previous model
 * version's or normalization's answers, either layout) with retireNamespace's bounded SCAN + UNLINK
 * job. Progress goes to stderr (with the cursor to resume from), the summary as JSON to stdout.
 * Refuses a namespace a replica heartbeats in unless --force; SIGINT/SIGTERM stop after the
 * current batch. Exit 0 when done, 1 when refused, stopped or failed (the message says the cursor).
 */
export function createRetireCommand(): Command {
  const command = new Command("retire")
    .description("Drop an old cache namespace's keys from Redis (bounded SCAN + UNLINK, resumable)")
    .argument("<namespace>", 'the namespace, as GetStats or the logs show it, e.g. "v1:std:m:k2"');
  const options = [
    retireFlag(
      "--store <url>",
      "the Redis: redis://[user:pass@]host:port[/db], rediss://… or redis-cluster://h:p,… (runs on the namespace's master)",
    )
      .argParser(redisUrl)
      .makeOptionMandatory(),
    retireFlag("--redis-key-prefix <prefix>", "prefix of every Redis key").default(DEFAULT_KEY_PREFIX),
    retireFlag("--batch <n>", "keys per SCAN (COUNT hint) and at most per UNLINK")
      .argParser(integer(1, 100_000))
      .default(DEFAULT_RETIRE_BATCH, `${DEFAULT_RETIRE_BATCH} keys`),
    retireFlag("--pause <duration>", "pause between batches, so live traffic keeps Redis")
      .argParser(durationMs)
      .default(DEFAULT_RETIRE_PAUSE_MS, `${DEFAULT_RETIRE_PAUSE_MS}ms`),
    retireFlag(
      "--cursor <cursor>",
      "resume from this cursor (printed by a stopped run; <master>/<cursor> on a cluster)",
    )
      .argParser(scanCursor)
      .default("0"),
    // Plain flags, never from the environment: a forgotten variable must not force a retirement.
    new Option("--dry-run", "count the namespace's keys, remove nothing"),
    new Option("--force", "retire it even while cache replicas heartbeat in it (they then miss every pair)"),
    ...redisSecurityOptions(retireFlag),
  ];
  for (const option of options) command.addOption(option);
  return command.action(async (namespace: string, flags: RetireFlags) => {
    let security: RedisSecurity;
    try {
      security = readRedisSecurity(redisSecurityFiles(flags), [flags.store]);
    } catch (error) {
      return command.error(`error: ${(error as Error).message}`, { exitCode: 2 });
    }
    await runRetire(namespace, flags, security);
  });
}

async function runRetire(namespace: string, flags: RetireFlags, security: RedisSecurity): Promise<void> {
  // A one-shot job: commands wait for the connection (and fail once an attempt fails).
  const client = createRedisClient(flags.store, {
    security,
    offlineQueue: true,
    connectionName: "seniority-retire",
  });
  client.on("error", () => {}); // reported by the failing command below
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  let last: RetireProgress = { cursor: flags.cursor, batches: 0, matched: 0, unlinked: 0, done: false };
  let printedAt = 0;
  const report = (p: RetireProgress): void => {
    last = p;
    if (!p.done && Date.now() - printedAt < PROGRESS_EVERY_MS) return;
    printedAt = Date.now();
    const verb = flags.dryRun ? "matched" : "unlinked";
    process.stderr.write(
      `retire ${namespace}: ${flags.dryRun ? p.matched : p.unlinked} keys ${verb}, ${p.batches} batches, cursor ${p.cursor}\n`,
    );
  };
  try {
    const result = await retireNamespace(client, {
      namespace,
      keyPrefix: flags.redisKeyPrefix,
      batchSize: flags.batch,
      pauseMs: flags.pause,
      cursor: flags.cursor,
      dryRun: flags.dryRun === true,
      force: flags.force === true,
      signal: stop.signal,
      onProgress: report,
    });
    process.stdout.write(
      JSON.stringify({ namespace, dryRun: flags.dryRun === true, ...result }, null, 2) + "\n",
    );
  } catch (error) {
    const resume = last.cursor === "0" && last.batches === 0 ? "" : `; resume with --cursor ${last.cursor}`;
    const reason =
      error instanceof NamespaceLiveError
        ? error.message
        : (error as Error).name === "MaxRetriesPerRequestError"
          ? `cannot reach Redis at ${redactUrls(flags.store)}`
          : redactUrls(String(error));
    process.stderr.write(`retire ${namespace} stopped after ${last.unlinked} keys: ${reason}${resume}\n`);
    process.exitCode = 1;
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    client.disconnect();
  }
}

function redisUrl(value: string): string {
  const url = value.trim();
  if (!/^(redis|rediss|redis-cluster):\/\/.+/.test(url)) {
    throw new InvalidArgumentError(
      `expected redis://host:port, rediss://… or redis-cluster://host:port,…; got "${value}".`,
    );
  }
  return url;
}

function scanCursor(value: string): string {
  if (!/^(\d+\/)?\d+$/.test(value.trim()))
    throw new InvalidArgumentError(`expected a SCAN cursor (digits), got "${value}".`);
  return value.trim();
}
