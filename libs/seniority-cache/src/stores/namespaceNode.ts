import type { Cluster, Redis } from "ioredis";
import type { RedisKeys } from "./RedisKeys.js";

/**
 * Redis Cluster: the connection to the master holding a namespace. Every key of a namespace shares
 * the hash tag `{<ns>}` (see RedisKeys), so all of them live in one slot on one master, and a SCAN
 * of that master alone finds them all.
 */
export async function namespaceNode(cluster: Cluster, keys: RedisKeys): Promise<Redis> {
  const slot = Number(await cluster.cluster("KEYSLOT", keys.metaKey()));
  // [first slot, last slot, [master host, port, id, …], …replicas]
  const ranges = await cluster.cluster("SLOTS");
  const owner = ranges.find(([first, last]) => slot >= first && slot <= last)?.[2];
  if (!owner) throw new Error(`no cluster master holds slot ${slot}`);
  const [host, port] = owner;
  const node = cluster.nodes("master").find((n) => n.options.host === host && n.options.port === port);
  if (!node) {
    throw new Error(
      `slot ${slot} is on ${host}:${port}, which the cluster client does not know; give it as redis://`,
    );
  }
  return node;
}
