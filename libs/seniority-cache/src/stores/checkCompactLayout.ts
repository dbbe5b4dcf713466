import type { Logger } from "@seniority/telemetry";
import { expectedFullestBucket } from "./bucketsFor.js";
import { COMPACT_META_SCRIPT } from "./compactMetaScript.js";
import { LayoutMismatchError } from "./LayoutMismatchError.js";
import type { RedisClient } from "@seniority/redis";
import { DEFAULT_BUCKETS, type RedisKeys } from "./RedisKeys.js";
import { RedisScript } from "@seniority/redis";

const META = new RedisScript(COMPACT_META_SCRIPT);

/** Legacy bucket keys sampled for data: with ≥ 10K legacy pairs, all 256 are empty at odds < 10⁻⁴. */
const LEGACY_SAMPLE = 256;

export interface CompactLayoutCheck {
  buckets: number;
  /** Pairs the namespace is expected to hold, for the density warning. */
  expectedPairs: number;
  /** For messages, e.g. `"v1:std:m:k2"`. */
  namespace: string;
  logger?: Logger;
}

/**
 * Run once a compact-layout store is connected: (1) the namespace's bucket count is
 * recorded in Redis on first use and must match afterwards — a different count would put every
 * pair in another bucket, so the cache would miss everything (and two replicas would infer the
 * same pairs) without a word; it throws LayoutMismatchError, naming --redis-buckets. (2) It reads the server's
 * `hash-max-listpack-entries` and warns if the expected fullest bucket exceeds it (such buckets
 * convert to a real hash table at several times the memory). CONFIG may be forbidden (ACL, managed
 * Redis): then the density check is skipped with an info line.
 */
export async function checkCompactLayout(
  client: RedisClient,
  keys: RedisKeys,
  check: CompactLayoutCheck,
): Promise<void> {
  const { buckets, expectedPairs, namespace, logger } = check;
  const sample =
    buckets === DEFAULT_BUCKETS
      ? []
      : Array.from({ length: LEGACY_SAMPLE }, (_, i) => keys.bucketKey(DEFAULT_BUCKETS, i));
  const recorded = Number(await META.run(client, [keys.metaKey(), ...sample], [buckets, DEFAULT_BUCKETS]));
  if (recorded !== buckets) {
    throw new LayoutMismatchError(
      `--redis-buckets ${buckets} does not match namespace "${namespace}" in this Redis, which keeps its ` +
        `pairs in ${recorded} buckets (another count would miss every cached pair): start with ` +
        `--redis-buckets ${recorded}, or use a new --model-version or --redis-key-prefix for a new, empty layout`,
    );
  }
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
