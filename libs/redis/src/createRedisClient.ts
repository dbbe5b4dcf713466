import { redactUrls } from "@seniority/telemetry";
import { Cluster, Redis } from "ioredis";
import type { RedisClient } from "./RedisClient.js";
import { redisConnection, type RedisSecurity } from "./RedisSecurity.js";

export interface RedisConnectionOptions {
  /**
   * While commands are pending, Redis must send some bytes at least this often, or the connection is
   * taken as dead: dropped (every pending command rejects) and reconnected. Catches a hung server or
   * a black-holed network quickly without failing a large pipeline whose replies are still
   * streaming. Milliseconds; default 1000; 0 for none.
   */
  socketTimeoutMs?: number;
  /** Hard cap on any one command or pipeline, however much data trickles in. Milliseconds; default 10000. */
  commandTimeoutMs?: number;
  /** A connection attempt that is not up after this long is abandoned and retried. Milliseconds; default 2000. */
  connectTimeoutMs?: number;
  /** TLS material (rediss:// only) and the ACL password from a file; default: the URL's alone. */
  security?: RedisSecurity;
  /** CLIENT SETNAME of the connection (default "seniority-cache"). */
  connectionName?: string;
  /** Longest wait between reconnect attempts, ms (default 2000). */
  maxReconnectDelayMs?: number;
  /**
   * Queue commands sent while the connection is being (re)made instead of failing them at once.
   * Default false: a cache must fail fast and degrade; a caller that checks the connection state
   * itself (the augmenter's leases) may let the first connect be waited for.
   */
  offlineQueue?: boolean;
}

export const DEFAULT_SOCKET_TIMEOUT_MS = 1000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 2000;

/** Reconnect delay after the n-th failed attempt: 100, 200, 400 … capped at `maxMs` (2000), forever. */
export function reconnectDelayMs(attempt: number, maxMs = 2000): number {
  return Math.min(100 * 2 ** Math.max(0, attempt - 1), maxMs);
}

/**
 * The one way this system opens Redis: an ioredis client that fails fast: while disconnected, commands reject at once
 * (`enableOfflineQueue: false`) instead of queueing without bound; commands in flight when the
 * connection drops reject at once (`maxRetriesPerRequest: 0`) rather than being replayed later; a
 * silent connection is dropped after `socketTimeoutMs`; and any command rejects after
 * `commandTimeoutMs`. (ioredis starts a command's timer when the pipeline is written, so a pure
 * per-command timeout of ~1 s fails 100k-key pipelines on a busy host; the socket timeout does not.)
 * Meanwhile ioredis reconnects in the background
 * with `reconnectDelayMs` backoff. The cache treats a rejection as "store unavailable" and degrades.
 *
 * `redis://[user:pass@]host:port[/db]` and `rediss://…` (TLS) go to ioredis as URLs (it reads
 * password, db and TLS from them). `redis-cluster://[user:pass@]host:port,host:port…` builds a
 * Cluster from the seed nodes (no TLS, no db: cluster mode has only db 0).
 */
export function createRedisClient(spec: string, options: RedisConnectionOptions = {}): RedisClient {
  const perConnection = {
    // 0: no socket timeout (ioredis arms one for any defined value, even 0).
    socketTimeout:
      options.socketTimeoutMs === 0 ? undefined : (options.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS),
    commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    connectTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    connectionName: options.connectionName ?? "seniority-cache",
  };
  const offlineQueue = options.offlineQueue ?? false;
  const maxDelay = options.maxReconnectDelayMs ?? 2000;
  const retryStrategy = (attempt: number): number => reconnectDelayMs(attempt, maxDelay);
  if (!spec.startsWith("redis-cluster://")) {
    const { url, options: secured } = redisConnection(spec, options.security);
    return new Redis(url, {
      ...perConnection,
      ...secured,
      enableOfflineQueue: offlineQueue,
      retryStrategy,
    });
  }
  const { nodes, username, password } = parseClusterSpec(spec);
  return new Cluster(nodes, {
    enableOfflineQueue: offlineQueue,
    clusterRetryStrategy: retryStrategy,
    redisOptions: {
      ...perConnection,
      username,
      password: options.security?.password ?? password,
    },
  });
}

/** Splits `redis-cluster://[user:pass@]h1:p1,h2:p2` into seed nodes and credentials. */
export function parseClusterSpec(spec: string): {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
} {
  const rest = spec.slice("redis-cluster://".length);
  const at = rest.lastIndexOf("@");
  const auth = at >= 0 ? rest.slice(0, at) : undefined;
  const hosts = (at >= 0 ? rest.slice(at + 1) : rest).replace(/\/$/, "");
  const nodes = hosts.split(",").map((hostPort) => {
    const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(hostPort);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) {
      throw new Error(
        `bad node "${hostPort}" in ${redactUrls(spec)} (expected redis-cluster://host:port,host:port)`,
      );
    }
    return { host: match[1]!.replace(/^\[|\]$/g, ""), port };
  });
  if (auth === undefined) return { nodes };
  const colon = auth.indexOf(":");
  const user = decodeURIComponent(colon >= 0 ? auth.slice(0, colon) : "");
  const password = decodeURIComponent(colon >= 0 ? auth.slice(colon + 1) : auth);
  return { nodes, ...(user ? { username: user } : {}), password };
}
