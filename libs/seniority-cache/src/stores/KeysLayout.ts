import { execPipeline } from "@seniority/redis";
import type { RedisClient } from "@seniority/redis";
import type { AnswerLocation, RedisLayout } from "./RedisLayout.js";
import type { RedisKeys } from "./RedisKeys.js";
import type { StoreEntry } from "./Store.js";
import { assertLevel, decodeLevel } from "./StoredLevel.js";
import { scanRedisKeys } from "./scanRedisKeys.js";

/**
 * One string key a pair (~90 bytes a pair in Redis, vs ~12 for compact). Use it where
 * per-pair expiry, refresh on hit or Redis LRU eviction (`maxmemory-policy allkeys-lru`) is wanted.
 *
 * Without a TTL: lookups are one MGET, writes one MSET, deletes one DEL. With `ttlSeconds`: writes
 * are a pipeline of SET … EX, and lookups a pipeline of GETEX … EX, which reads and refreshes the
 * TTL of a hit in the same command (a miss creates nothing): still one round trip.
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
    if (keys.length === 0) return [];
    const names = keys.map((k) => this.keys.pairKey(k));
    const ttl = this.ttlSeconds;
    if (ttl === undefined) return (await client.mget(names)).map(decodeLevel);
    const pipeline = client.pipeline();
    for (const name of names) pipeline.getex(name, "EX", ttl);
    return (await execPipeline(pipeline)).map((v) => decodeLevel(v as string | null));
  }

  async setMany(client: RedisClient, entries: readonly StoreEntry[]): Promise<void> {
    if (entries.length === 0) return;
    for (const { level } of entries) assertLevel(level);
    const ttl = this.ttlSeconds;
    if (ttl === undefined) {
      await client.mset(...entries.flatMap((e) => [this.keys.pairKey(e.key), String(e.level)]));
      return;
    }
    const pipeline = client.pipeline();
    for (const e of entries) pipeline.set(this.keys.pairKey(e.key), String(e.level), "EX", ttl);
    await execPipeline(pipeline);
  }

  async deleteMany(client: RedisClient, keys: readonly Buffer[]): Promise<number> {
    if (keys.length === 0) return 0;
    return client.del(keys.map((k) => this.keys.pairKey(k)));
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
    return { key: this.keys.pairKey(key), field: "" };
  }
}
