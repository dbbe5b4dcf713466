import { Cluster, type Redis } from "ioredis";

/** A standalone or cluster ioredis client. */
export type RedisClient = Redis | Cluster;

/**
 * Another connection with `client`'s options (same server or cluster, TLS, ACL, timeouts,
 * reconnect backoff), named `connectionName` on a standalone Redis (a cluster client keeps its
 * per-node options as they are).
 */
export function duplicateClient(client: RedisClient, connectionName: string): RedisClient {
  return client instanceof Cluster ? client.duplicate() : client.duplicate({ connectionName });
}
