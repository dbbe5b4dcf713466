import type { RedisConnectionOptions } from "@seniority/redis";
import type { Logger } from "@seniority/telemetry";

/** How a RedisStore connects and lays out one namespace. */
export interface RedisStoreOptions extends RedisConnectionOptions {
  /** From cacheNamespace(), e.g. "v1:std:m:k2". */
  namespace: string;
  /** Prepended to every key; default "seniority:". */
  keyPrefix?: string;
  /** Default "compact". */
  layout?: "compact" | "keys";
  /**
   * compact layout only; default bucketsFor(expectedPairs). Part of the key names, and recorded in
   * Redis on first use: a namespace refuses another count (see checkCompactLayout).
   */
  buckets?: number;
  /**
   * Partitions the namespace's pairs are spread over (each its own cluster hash tag; see RedisKeys).
   * Default: the count recorded for the namespace; for a new namespace 64 on a cluster, 1 on one
   * server. A count given that differs from the recorded one is refused (see checkRedisLayout).
   */
  partitions?: number;
  /** compact layout only: pairs the namespace will hold (default 20M), for sizing and the density check. */
  expectedPairs?: number;
  /** keys layout only: expiry of each pair, refreshed on every hit. Seconds; default none. */
  ttlSeconds?: number;
  logger?: Logger;
}
