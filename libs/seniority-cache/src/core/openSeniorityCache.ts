import { cacheNamespace } from "@seniority/pair-key";
import { Registry } from "prom-client";
import { CacheMetrics } from "./CacheMetrics.js";
import type { ModelBackend } from "./ModelBackend.js";
import { ModelHop, type ModelHopOptions } from "./ModelHop.js";
import { SeniorityCache } from "./SeniorityCache.js";
import type { SeniorityCacheTuning } from "./SeniorityCacheOptions.js";
import type { RedisSecurity } from "@seniority/redis";
import {
  BloomGuardedStore,
  BloomMetrics,
  DEFAULT_EXPECTED_PAIRS,
  DEFAULT_LMDB_PATH,
  openStore,
  type Store,
} from "../stores/index.js";

/** `--bloom`: a Bloom filter in front of the store (BloomGuardedStore), sized from `expectedPairs`. */
export interface BloomConfig {
  /** False positive rate at `expectedPairs` (default 0.01). */
  falsePositiveRate?: number;
  /** The rebuild from the store at start gives up after this long, ms (default 10 min). */
  rebuildTimeoutMs?: number;
}

export interface OpenSeniorityCacheConfig extends SeniorityCacheTuning {
  /**
   * "memory", "lmdb:<path>", "redis://[user:pass@]host:port[/db]", "rediss://…" or
   * "redis-cluster://host:port,…" (default: lmdb at DEFAULT_LMDB_PATH). An unreachable Redis does
   * not fail the open: the cache starts degraded and reconnects.
   */
  store?: string;
  /** Redis layout (default "compact"). */
  redisLayout?: "compact" | "keys";
  /**
   * Redis compact layout: bucket count (default derived from `expectedPairs`: 262,144 at 20M).
   * Recorded per namespace on first use; another count is refused at start.
   */
  redisBuckets?: number;
  /**
   * Redis: partitions (cluster hash tags) of the namespace (default: the recorded count; a new
   * namespace gets 64 on a cluster, 1 on one server). Recorded on first use; another is refused.
   */
  redisPartitions?: number;
  /** Pairs the namespace will hold (default 20,000,000): sizes the compact layout and the Bloom filter. */
  expectedPairs?: number;
  /** A Bloom filter in front of the store (default none); rebuilt from the store in the background. */
  bloom?: BloomConfig;
  /** Redis "keys" layout: per-pair expiry in seconds, refreshed on hit (default: none). */
  ttlSeconds?: number;
  /** Redis key prefix (default the store's, "seniority:"). */
  redisKeyPrefix?: string;
  /** Redis: TLS material and the ACL password from files (readRedisSecurity). */
  redisSecurity?: RedisSecurity;
  /** The model: "host:port" (or "https://host:port") for a ModelHop, or any ModelBackend. */
  model: string | ModelBackend;
  /** ModelHop settings when `model` is an address. */
  modelClient?: Omit<ModelHopOptions, "address" | "logger">;
}

/** The default store spec: LMDB in the working directory. */
export const DEFAULT_STORE_SPEC = `lmdb:${DEFAULT_LMDB_PATH}`;

/**
 * Opens a SeniorityCache from plain settings: the store (namespaced by model version,
 * normalization and model identity) and the model client. What `seniority cache` uses, and what an in-process user
 * (the augmenter) calls; close() the result.
 */
export async function openSeniorityCache(config: OpenSeniorityCacheConfig): Promise<SeniorityCache> {
  const {
    store: spec,
    redisLayout,
    redisBuckets,
    redisPartitions,
    expectedPairs,
    ttlSeconds,
    redisKeyPrefix,
    redisSecurity,
    model,
    modelClient,
    bloom,
    ...tuning
  } = config;
  const namespace = cacheNamespace(
    tuning.modelVersion ?? "v1",
    tuning.normalization ?? "standard",
    tuning.modelIdentity ?? "model",
  );
  const opened = await openStore(spec ?? DEFAULT_STORE_SPEC, {
    namespace,
    ...(redisLayout ? { layout: redisLayout } : {}),
    ...(ttlSeconds ? { ttlSeconds } : {}),
    ...(redisBuckets !== undefined ? { buckets: redisBuckets } : {}),
    ...(redisPartitions !== undefined ? { partitions: redisPartitions } : {}),
    ...(expectedPairs !== undefined ? { expectedPairs } : {}),
    ...(redisKeyPrefix ? { keyPrefix: redisKeyPrefix } : {}),
    ...(redisSecurity ? { security: redisSecurity } : {}),
    ...(tuning.logger ? { logger: tuning.logger } : {}),
  });
  // The filter's metrics go on the cache's registry, so one is made here when none was given.
  const metrics = tuning.metrics ?? (bloom ? new CacheMetrics(new Registry()) : undefined);
  const store: Store = bloom
    ? new BloomGuardedStore(opened, {
        expectedPairs: expectedPairs ?? DEFAULT_EXPECTED_PAIRS,
        ...bloom,
        ...(metrics ? { metrics: new BloomMetrics(metrics.registry) } : {}),
        ...(tuning.clock ? { clock: tuning.clock } : {}),
        ...(tuning.logger ? { logger: tuning.logger } : {}),
      })
    : opened;
  const backend =
    typeof model === "string"
      ? ModelHop.connect({
          address: model,
          ...modelClient,
          ...(tuning.logger ? { logger: tuning.logger } : {}),
        })
      : model;
  const pendingSendMs = tuning.pendingSendMs ?? modelClient?.timeoutMs;
  return new SeniorityCache({
    ...tuning,
    ...(pendingSendMs !== undefined ? { pendingSendMs } : {}),
    ...(metrics ? { metrics } : {}),
    store,
    model: backend,
  });
}
