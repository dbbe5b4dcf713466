import { boolean, durationMs, integer, number } from "@seniority/cli-options";
import {
  DEFAULT_BLOOM_FP_RATE,
  DEFAULT_BLOOM_REBUILD_TIMEOUT_MS,
  DEFAULT_EXPECTED_PAIRS,
  DEFAULT_STORE_SPEC,
} from "@seniority/seniority-cache";
import type { Option } from "commander";
import { cacheFlag } from "./cacheFlag.js";
import { redisSecurityOptions } from "./redisSecurityOptions.js";
import { storeSpec } from "./storeSpec.js";

/**
 * `cache`'s flags of the shared store: which one, its Redis layout, key prefix, TLS, password,
 * expiry, and the Bloom filter in front of it.
 */
export function storeOptions(): Option[] {
  return [
    cacheFlag(
      "--store <spec>",
      "memory | lmdb:<path> | redis://[user:pass@]host:port[/db] | rediss://… | redis-cluster://h:p,…",
    )
      .argParser(storeSpec)
      .default(DEFAULT_STORE_SPEC),
    cacheFlag("--redis-layout <layout>", "Redis layout: compact (hash buckets) or keys (one key a pair)")
      .choices(["compact", "keys"])
      .default("compact"),
    cacheFlag(
      "--redis-buckets <n>",
      "compact layout: hash buckets (default from --expected-pairs; fixed per namespace once used)",
    ).argParser(integer(1, 2 ** 32)),
    cacheFlag(
      "--redis-partitions <n>",
      "Redis: partitions (cluster hash tags) a new namespace's pairs spread over (default: the recorded count; new: 64 on a cluster, 1 on one server; fixed per namespace once used)",
    ).argParser(integer(1, 16_384)),
    cacheFlag(
      "--expected-pairs <n>",
      "distinct pairs the namespace will hold (sizes the compact layout's buckets and the --bloom filter)",
    )
      .argParser(integer(1))
      .default(DEFAULT_EXPECTED_PAIRS, `${DEFAULT_EXPECTED_PAIRS} pairs`),
    cacheFlag("--redis-key-prefix <prefix>", "prefix of every Redis key (default seniority:)"),
    ...redisSecurityOptions(cacheFlag),
    cacheFlag("--ttl <duration>", "keys layout: expiry per pair, refreshed on hit (e.g. 720h; 0 = none)")
      .argParser(durationMs)
      .default(0, "0 (no expiry)"),
    cacheFlag(
      "--bloom [bool]",
      "a Bloom filter in front of the store: lookups of pairs it never held skip the store (rebuilt from it at start)",
    )
      .preset("true")
      .argParser(boolean)
      .default(false),
    cacheFlag(
      "--bloom-fp-rate <rate>",
      "--bloom: false positive rate at --expected-pairs (0.01: 9.6 bits a pair)",
    )
      .argParser(number(0.000001, 0.5))
      .default(DEFAULT_BLOOM_FP_RATE, `${DEFAULT_BLOOM_FP_RATE} (1%) false positives`),
    cacheFlag(
      "--bloom-rebuild-timeout <duration>",
      "--bloom: the rebuild from the store at start gives up after this; until rebuilt every read goes to the store",
    )
      .argParser(durationMs)
      .default(DEFAULT_BLOOM_REBUILD_TIMEOUT_MS, "10m"),
  ];
}
