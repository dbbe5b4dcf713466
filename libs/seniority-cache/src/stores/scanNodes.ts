import { Cluster, type Redis } from "ioredis";
import type { RedisClient } from "@seniority/redis";

/**
 * The servers a SCAN must visit to see every key: the client itself, or every master of a cluster
 * (a namespace lives in one slot, so only one of them holds its keys; the others answer empty).
 */
export function scanNodes(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes("master") : [client];
}
