import { execPipeline } from "@seniority/redis";
import type { RedisClient } from "@seniority/redis";
import type { AnswerLocation, RedisLayout } from "./RedisLayout.js";
import type { RedisKeys } from "./RedisKeys.js";
import { scanKeysEntries } from "./scanKeysEntries.js";
import type { StoreEntry } from "./Store.js";
import { entriesBatchSize, type EntriesOptions } from "./StoreEntrySource.js";
import { assertLevel, decodeLevel } from "./StoredLevel.js";

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
  readonly keyForm = { kind: "full" } as const;

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

  entries(client: RedisClient, options: EntriesOptions = {}): AsyncGenerator<StoreEntry[]> {
    const { signal } = options;
    return scanKeysEntries(client, this.keys, {
      batchSize: entriesBatchSize(options),
      ...(signal ? { signal } : {}),
    });
  }

  answerLocation(key: Buffer): AnswerLocation {
    return { key: this.keys.pairKey(key), field: "" };
  }
}
