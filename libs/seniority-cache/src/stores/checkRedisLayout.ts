import type { Logger } from "@seniority/telemetry";
import { expectedFullestBucket } from "./bucketsFor.js";
import { Cluster } from "ioredis";
import { LAYOUT_META_SCRIPT } from "./layoutMetaScript.js";
import { LayoutMismatchError } from "./LayoutMismatchError.js";
import type { RedisClient } from "@seniority/redis";
import { DEFAULT_BUCKETS, type RedisKeys } from "./RedisKeys.js";
import { RedisScript } from "@seniority/redis";

const META = new RedisScript(LAYOUT_META_SCRIPT);

/** Legacy bucket keys sampled for data: with ≥ 10K legacy pairs, all 256 are empty at odds < 10⁻⁴. */
const LEGACY_SAMPLE = 256;

/** Partitions a new namespace gets on a cluster: ≥ 16 × masters up to 4 masters (see partitionTags). */
export const DEFAULT_CLUSTER_PARTITIONS = 64;

/** Partitions per master below which a cluster namespace is reported as poorly spread. */
const PARTITIONS_PER_MASTER = 16;

export interface RedisLayoutCheck {
  /** compact layout: the configured bucket count; undefined for the keys layout. */
  buckets: number | undefined;
  /**
   * The partition count asked for; undefined: the recorded one, or for a new namespace
   * DEFAULT_CLUSTER_PARTITIONS on a cluster and 1 (the layout before partitions) on one server.
   */
  partitions: number | undefined;
  /** Pairs the namespace is expected to hold, for the density warning. */
  expectedPairs: number;
  /** For messages, e.g. `"v1:std:m:k2"`. */
  namespace: string;
  logger?: Logger;
}

/**
 * Run once a Redis store is connected, before its first pair is named: (1) the namespace's bucket
 * count (compact layout) and partition count are recorded in Redis on first use and must match
 * afterwards — a different count would put every pair under another key, so the cache would miss
 * everything (and two replicas would infer the same pairs) without a word; it throws
 * LayoutMismatchError, naming --redis-buckets or --redis-partitions. The partition count is set
 * on `keys`. On a cluster it warns when the namespace has fewer than 16 partitions a master (its
 * pairs cannot spread evenly). (2) compact: it reads the server's `hash-max-listpack-entries` and
 * warns if the expected fullest bucket exceeds it (such buckets convert to a real hash table at
 * several times the memory). CONFIG may be forbidden (ACL, managed Redis): then the density check
 * is skipped with an info line.
 */
export async function checkRedisLayout(
  client: RedisClient,
  keys: RedisKeys,
  check: RedisLayoutCheck,
): Promise<void> {
  const { buckets, expectedPairs, namespace, logger } = check;
  const cluster = client instanceof Cluster;
  const sample =
    buckets === undefined
      ? []
      : Array.from({ length: LEGACY_SAMPLE }, (_, i) => keys.unpartitionedBucketKey(DEFAULT_BUCKETS, i));
  const reply = await META.run(
    client,
    [keys.metaKey(), ...sample],
    [buckets ?? "", DEFAULT_BUCKETS, check.partitions ?? "", cluster ? DEFAULT_CLUSTER_PARTITIONS : 1],
  );
  if (!Array.isArray(reply) || reply.length !== 2)
    throw new Error(`layout meta script: unexpected reply ${String(reply)}`);
  const recorded = Number(reply[0]);
  if (buckets !== undefined && recorded !== buckets) {
    throw new LayoutMismatchError(
      `--redis-buckets ${buckets} does not match namespace "${namespace}" in this Redis, which keeps its ` +
        `pairs in ${recorded} buckets (another count would miss every cached pair): start with ` +
        `--redis-buckets ${recorded}, or use a new --model-version or --redis-key-prefix for a new, empty layout`,
    );
  }
  const partitions = Number(reply[1]);
  if (check.partitions !== undefined && partitions !== check.partitions) {
    throw new LayoutMismatchError(
      `--redis-partitions ${check.partitions} does not match namespace "${namespace}" in this Redis, which keeps its ` +
        `pairs in ${partitions} partitions (another count would miss every cached pair): omit --redis-partitions ` +
        `to use the recorded count, or use a new --model-version or --redis-key-prefix for a new, empty layout`,
    );
  }
  keys.usePartitions(partitions);
  if (cluster) {
    const masters = client.nodes("master").length;
    if (partitions < PARTITIONS_PER_MASTER * masters) {
      logger?.warn(
        { namespace, partitions, masters },
        `namespace "${namespace}" has ${partitions} partitions over ${masters} cluster masters (fewer than ` +
          `${PARTITIONS_PER_MASTER} a master): its pairs do not spread evenly; a new namespace gets ` +
          `${DEFAULT_CLUSTER_PARTITIONS} by default, more with --redis-partitions`,
      );
    }
  }
  if (buckets === undefined) return;
  const limit = await listpackLimit(client, logger);
  if (limit === undefined) return;
  const fullest = expectedFullestBucket(expectedPairs, buckets);
  if (fullest > limit) {
    logger?.warn(
      { buckets, expectedPairs, fullestBucket: Math.ceil(fullest), hashMaxListpackEntries: limit },
      `at ${expectedPairs} pairs the fullest of ${buckets} buckets holds ~${Math.ceil(fullest)} fields, ` +
        `above hash-max-listpack-entries ${limit}: those buckets leave listpack encoding and cost several ` +
        `times the memory; raise hash-max-listpack-entries on the server, or use more buckets in a new namespace`,
    );
  }
}

/** The server's `hash-max-listpack-entries` (Redis 7) or `hash-max-ziplist-entries` (Redis 6). */
async function listpackLimit(client: RedisClient, logger: Logger | undefined): Promise<number | undefined> {
  try {
    for (const name of ["hash-max-listpack-entries", "hash-max-ziplist-entries"]) {
      const reply = (await client.config("GET", name)) as unknown;
      if (Array.isArray(reply) && reply.length >= 2) return Number(reply[1]);
    }
    logger?.info("the server reports no hash-max-listpack-entries; bucket density not checked");
  } catch (error) {
    logger?.info(
      { err: (error as Error).message },
      "cannot read hash-max-listpack-entries (CONFIG not allowed?); bucket density not checked",
    );
  }
  return undefined;
}
