import { durationMs, integer } from "@seniority/cli-options";
import { parseNamespace } from "@seniority/pair-key";
import { DEFAULT_ENTRIES_BATCH, DEFAULT_EXPECTED_PAIRS } from "@seniority/seniority-cache";
import { InvalidArgumentError, Option } from "commander";
import { storeSpec } from "./storeSpec.js";
import { redisSecurityOptions } from "./redisSecurityOptions.js";

/** The parsed flags of `seniority export` and `seniority import`. */
export interface TransferFlags {
  store: string;
  namespace?: string;
  file?: string;
  batch: number;
  redisLayout: "compact" | "keys";
  redisBuckets?: number;
  expectedPairs: number;
  redisKeyPrefix?: string;
  redisTlsCa?: string;
  redisTlsCert?: string;
  redisTlsKey?: string;
  redisPasswordFile?: string;
  /** import only: keys-layout expiry, ms (0 = none). */
  ttl?: number;
}

/**
 * The flags `export` and `import` share: the store as `seniority cache` names it (--store and its
 * Redis layout, buckets, prefix, TLS, password), the file, and the batch size. Each also reads
 * `<env>_<FLAG>` (SENIORITY_EXPORT_… or SENIORITY_IMPORT_…).
 */
export function transferOptions(env: string, file: string): Option[] {
  const flag = (name: string, help: string): Option =>
    new Option(name, help).env(`${env}_${name.slice(2).split(" ")[0]!.replaceAll("-", "_").toUpperCase()}`);
  return [
    flag(
      "--store <spec>",
      "memory | lmdb:<path> | redis://[user:pass@]host:port[/db] | rediss://… | redis-cluster://h:p,…",
    )
      .argParser(storeSpec)
      .makeOptionMandatory(),
    flag("--file <path>", file),
    flag("--batch <n>", "answers read and written at a time")
      .argParser(integer(1, 100_000))
      .default(DEFAULT_ENTRIES_BATCH, `${DEFAULT_ENTRIES_BATCH} answers`),
    flag("--redis-layout <layout>", "Redis layout: compact (hash buckets) or keys (one key a pair)")
      .choices(["compact", "keys"])
      .default("compact"),
    flag("--redis-buckets <n>", "compact layout: hash buckets (the namespace's recorded count)").argParser(
      integer(1, 2 ** 32),
    ),
    flag(
      "--expected-pairs <n>",
      "compact layout: pairs the namespace holds (sizes the buckets when not given)",
    )
      .argParser(integer(1))
      .default(DEFAULT_EXPECTED_PAIRS, `${DEFAULT_EXPECTED_PAIRS} pairs`),
    flag("--redis-key-prefix <prefix>", "prefix of every Redis key (default seniority:)"),
    ...redisSecurityOptions(flag),
  ];
}

/** The --namespace option, `help` saying what it means for the command. */
export function namespaceOption(env: string, help: string): Option {
  return new Option("--namespace <namespace>", help).env(`${env}_NAMESPACE`).argParser(namespaceArg);
}

/** import only: --ttl, as `seniority cache --ttl`. */
export function ttlOption(env: string): Option {
  return new Option("--ttl <duration>", "keys layout: expiry of each imported pair (e.g. 720h; 0 = none)")
    .env(`${env}_TTL`)
    .argParser(durationMs)
    .default(0, "0 (no expiry)");
}

function namespaceArg(value: string): string {
  try {
    parseNamespace(value.trim());
  } catch (error) {
    throw new InvalidArgumentError(`${(error as Error).message}.`);
  }
  return value.trim();
}
