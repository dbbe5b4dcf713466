import { execPipeline, type RedisClient } from "@seniority/redis";
import type { AnswerLocation, RedisLayout } from "./RedisLayout.js";
import type { RedisKeys } from "./RedisKeys.js";
import { callGroups, perNode, type CallGroup } from "./routeCalls.js";
import type { StoreEntry } from "./Store.js";
import { scanKeysEntries } from "./scanKeysEntries.js";
import { entriesBatchSize, type EntriesOptions } from "./StoreEntrySource.js";
import { assertLevel, decodeLevel } from "./StoredLevel.js";
import { scanRedisKeys } from "./scanRedisKeys.js";

/** Keys per MGET / MSET / DEL (one command's argument list stays a few hundred KB). */
const KEYS_PER_COMMAND = 5000;

/**
 * One string key a pair (~90 bytes a pair in Redis, vs ~12 for compact). Use it where
 * per-pair expiry, refresh on hit or Redis LRU eviction (`maxmemory-policy allkeys-lru`) is wanted.
 *
 * Without a TTL: lookups are MGET, writes MSET, deletes DEL — one command per partition touched on
 * a cluster (they must not cross slots), one per 5000 keys otherwise. With `ttlSeconds`: writes are
 * SET … EX, and lookups GETEX … EX, which reads and refreshes the TTL of a hit in the same command
 * (a miss creates nothing). Every method is one pipeline per node: one round trip.
 */
export class KeysLayout implements RedisLayout {
  readonly name = "keys";

  constructor(
    private readonly keys: RedisKeys,
    readonly ttlSeconds?: number,
  ) {
    if (ttlSeconds !== undefined && (!Number.isInteger(ttlSeconds) || ttlSeconds < 1)) {
      throw new RangeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}`);
    }
  }

  async getMany(client: RedisClient, keys: readonly Buffer[]): Promise<(number | undefined)[]> {
    const levels = new Array<number | undefined>(keys.length).fill(undefined);
    const ttl = this.ttlSeconds;
    const groups = this.groups(client, keys);
    const replies = await this.pipelined(client, groups, (pipeline, g) => {
      const names = g.positions.map((i) => this.keys.pairKey(keys[i]!));
      if (ttl === undefined) pipeline.mget(names);
      else for (const name of names) pipeline.getex(name, "EX", ttl);
      return ttl === undefined ? 1 : names.length;
    });
    replies.forEach((reply, c) => {
      const values = ttl === undefined ? (reply[0] as (string | null)[]) : (reply as (string | null)[]);
      groups[c]!.positions.forEach((position, i) => (levels[position] = decodeLevel(values[i])));
    });
    return levels;
  }

  async setMany(client: RedisClient, entries: readonly StoreEntry[]): Promise<void> {
    for (const { level } of entries) assertLevel(level);
    const ttl = this.ttlSeconds;
    const groups = this.groups(
      client,
      entries.map((e) => e.key),
    );
    await this.pipelined(client, groups, (pipeline, g) => {
      if (ttl === undefined) {
        pipeline.mset(
          ...g.positions.flatMap((i) => [this.keys.pairKey(entries[i]!.key), String(entries[i]!.level)]),
        );
        return 1;
      }
      for (const i of g.positions)
        pipeline.set(this.keys.pairKey(entries[i]!.key), String(entries[i]!.level), "EX", ttl);
      return g.positions.length;
    });
  }

  async deleteMany(client: RedisClient, keys: readonly Buffer[]): Promise<number> {
    const replies = await this.pipelined(client, this.groups(client, keys), (pipeline, g) => {
      pipeline.del(g.positions.map((i) => this.keys.pairKey(keys[i]!)));
      return 1;
    });
    return replies.reduce((sum, reply) => sum + Number(reply[0]), 0);
  }

  partitionOf(key: Buffer): number {
    return this.keys.keysPartitionOf(key);
  }

  readonly keyForm = { kind: "full" } as const;

  entries(client: RedisClient, options: EntriesOptions = {}): AsyncGenerator<StoreEntry[]> {
    const { signal } = options;
    return scanKeysEntries(client, this.keys, {
      batchSize: entriesBatchSize(options),
      ...(signal ? { signal } : {}),
    });
  }

  /** Every pair's key: SCAN pages (COUNT batchSize) of the namespace's string keys, regrouped. */
  async *scanKeys(client: RedisClient, batchSize: number): AsyncGenerator<Buffer[]> {
    let batch: Buffer[] = [];
    for await (const names of scanRedisKeys(client, this.keys.pairKeyPattern(), batchSize)) {
      for (const name of names) {
        const key = this.keys.pairKeyOf(name);
        if (!key) continue; // a longer name under our prefix: not a pair
        batch.push(key);
        if (batch.length < batchSize) continue;
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  answerLocation(key: Buffer): AnswerLocation {
    return { key: this.keys.pairKey(key), field: "", partition: this.partitionOf(key) };
  }

  private groups(client: RedisClient, keys: readonly Buffer[]): CallGroup[] {
    return callGroups(client, keys.length, (i) => this.partitionOf(keys[i]!), KEYS_PER_COMMAND);
  }

  /**
   * One pipeline per node; `add` queues a group's commands and says how many. Resolves to each
   * group's replies, in the order of `groups`.
   */
  private pipelined(
    client: RedisClient,
    groups: readonly CallGroup[],
    add: (pipeline: ReturnType<RedisClient["pipeline"]>, group: CallGroup) => number,
  ): Promise<unknown[][]> {
    if (groups.length === 0) return Promise.resolve([]);
    return perNode(
      client,
      groups,
      (p) => this.keys.slotOf(p),
      async (nodeGroups) => {
        const pipeline = client.pipeline();
        const counts = nodeGroups.map((g) => add(pipeline, g));
        const replies = await execPipeline(pipeline);
        let at = 0;
        return counts.map((n) => replies.slice(at, (at += n)));
      },
    );
  }
}
