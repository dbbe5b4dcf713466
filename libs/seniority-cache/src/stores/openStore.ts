import { redactUrls, type Logger } from "@seniority/telemetry";
import { DEFAULT_CONNECT_TIMEOUT_MS } from "@seniority/redis";
import { LayoutMismatchError } from "./LayoutMismatchError.js";
import { LmdbStore } from "./LmdbStore.js";
import { MemoryStore } from "./MemoryStore.js";
import { RedisStore } from "./RedisStore.js";
import type { RedisSecurity } from "@seniority/redis";
import type { OpenedStore } from "./OpenedStore.js";

export interface OpenStoreOptions {
  /** From cacheNamespace(), e.g. "v1:std:m:k2"; keeps model versions and normalization modes apart. */
  namespace: string;
  /** Redis only; default "compact". */
  layout?: "compact" | "keys";
  /** Redis keys layout only: per-pair expiry, refreshed on hit. Seconds; default none. */
  ttlSeconds?: number;
  /** Redis compact layout only; default bucketsFor(expectedPairs) (262,144 at 20M; see RedisKeys). */
  buckets?: number;
  /**
   * Redis only: partitions (cluster hash tags) of the namespace; default the recorded count, and for
   * a new namespace 64 on a cluster, 1 on one server (see RedisStore, checkRedisLayout).
   */
  partitions?: number;
  /** Redis compact layout only: pairs the namespace will hold; default 20,000,000. */
  expectedPairs?: number;
  /** Redis only; default "seniority:". */
  keyPrefix?: string;
  /** Redis only: a connection silent this long with commands pending is dropped. Milliseconds; default 1000. */
  socketTimeoutMs?: number;
  /** Redis only: hard cap on one command or pipeline. Milliseconds; default 10000. */
  commandTimeoutMs?: number;
  /**
   * Redis only: how long to wait for a connection, both at start (openStore returns after this
   * even if Redis is down) and per reconnect attempt. Milliseconds; default 2000.
   */
  connectTimeoutMs?: number;
  /** Redis only: TLS material and the ACL password from files (readRedisSecurity). */
  security?: RedisSecurity;
  logger?: Logger;
}

const ACCEPTED = `"memory", "lmdb:<path>", "redis://…", "rediss://…" or "redis-cluster://host:port,…"`;

/**
 * Opens the store named by `spec`. For Redis it waits up to `connectTimeoutMs` (2 s) for the first
 * connection; if Redis is not there, it still returns the store — disconnected, failing fast and
 * reconnecting in the background — so the cache can start degraded. Connected, it checks the
 * compact layout's bucket count against the one recorded for the namespace and rejects, naming
 * --redis-buckets, if they differ (RedisStore.checkLayout). Only a Redis store comes with
 * `coordination` (RedisStore.openCoordination: the replicas sharing it act as one cache).
 */
export async function openStore(spec: string, options: OpenStoreOptions): Promise<OpenedStore> {
  if (spec === "memory") return { store: new MemoryStore() };
  if (spec.startsWith("lmdb:")) {
    const path = spec.slice("lmdb:".length);
    if (path.length === 0) throw new Error(`store "${spec}" needs a path, e.g. lmdb:./.seniority/cache`);
    return { store: LmdbStore.open(path, { namespace: options.namespace }) };
  }
  if (/^(redis|rediss|redis-cluster):\/\//.test(spec)) {
    const store = RedisStore.fromUrl(spec, options);
    const opened: OpenedStore = { store, coordination: (options) => store.openCoordination(options) };
    if (!(await store.waitUntilConnected(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS))) {
      options.logger?.warn(
        { store: store.kind, url: redactUrls(spec) },
        "redis not reachable at start; running degraded",
      );
      return opened; // the layout is checked on the first connection
    }
    try {
      await store.checkLayout();
    } catch (error) {
      if (error instanceof LayoutMismatchError) {
        await store.close();
        throw error;
      }
      // Redis failed mid-check: start (degraded if it stays down); checked on the next connection.
      options.logger?.warn(
        { store: store.kind, url: redactUrls(spec), err: (error as Error).message },
        "could not check the redis layout at start; checking on the next connection",
      );
    }
    return opened;
  }
  throw new Error(`unknown store "${redactUrls(spec)}": expected ${ACCEPTED}`);
}
