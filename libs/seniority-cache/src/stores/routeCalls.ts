import { Cluster } from "ioredis";
import type { RedisClient } from "@seniority/redis";

/** Positions (into a request's keys) that one script call or command serves, all in `partition`. */
export interface CallGroup {
  /** The partition of every position (0 on a standalone server, where groups mix partitions). */
  partition: number;
  positions: number[];
}

/**
 * Splits positions 0..count-1 into calls of at most `maxPerCall`. On a cluster each call holds one
 * partition's positions (a script's keys must share a slot); on a standalone server slots do not
 * matter, so positions are chunked in order whatever their partition: one call for a usual request.
 */
export function callGroups(
  client: RedisClient,
  count: number,
  partitionOf: (position: number) => number,
  maxPerCall: number,
): CallGroup[] {
  const groups: CallGroup[] = [];
  if (!(client instanceof Cluster)) {
    for (let start = 0; start < count; start += maxPerCall) {
      const positions = Array.from({ length: Math.min(maxPerCall, count - start) }, (_, i) => start + i);
      groups.push({ partition: 0, positions });
    }
    return groups;
  }
  const open = new Map<number, CallGroup>();
  for (let position = 0; position < count; position++) {
    const partition = partitionOf(position);
    let group = open.get(partition);
    if (!group || group.positions.length >= maxPerCall) {
      group = { partition, positions: [] };
      open.set(partition, group);
      groups.push(group);
    }
    group.positions.push(position);
  }
  return groups;
}

/**
 * Sends `groups` with at most one write per node: `send` gets every group at once on a standalone
 * server, and on a cluster the groups of each master (by `slotOf(partition)` in the client's slot
 * map), all nodes in parallel — ioredis refuses a cluster pipeline whose keys span nodes. Replies
 * come back in the order of `groups`. A stale slot map (a failover) makes a node's send fail
 * (MOVED or a dead connection): the whole call rejects, like any store failure.
 */
export async function perNode<G extends CallGroup, R>(
  client: RedisClient,
  groups: readonly G[],
  slotOf: (partition: number) => number,
  send: (groups: G[]) => Promise<R[]>,
): Promise<R[]> {
  if (!(client instanceof Cluster)) return checked(await send([...groups]), groups.length);
  const byNode = new Map<string, number[]>();
  groups.forEach((group, index) => {
    const slot = slotOf(group.partition);
    const node = client.slots[slot]?.[0] ?? `slot ${slot}`; // slot map not loaded yet: a pipeline a slot
    let indexes = byNode.get(node);
    if (!indexes) byNode.set(node, (indexes = []));
    indexes.push(index);
  });
  const replies = new Array<R>(groups.length);
  await Promise.all(
    [...byNode.values()].map(async (indexes) => {
      const nodeReplies = checked(await send(indexes.map((i) => groups[i]!)), indexes.length);
      indexes.forEach((groupIndex, i) => (replies[groupIndex] = nodeReplies[i]!));
    }),
  );
  return replies;
}

function checked<R>(replies: R[], expected: number): R[] {
  if (replies.length !== expected) throw new Error(`expected ${expected} replies, got ${replies.length}`);
  return replies;
}
