import { PAIR_KEY_BYTES } from "@seniority/pair-key";
import { execPipeline } from "./execPipeline.js";
import type { AnswerLocation, RedisClient, RedisLayout } from "./RedisLayout.js";
import { bucketOf, DEFAULT_BUCKETS, fieldOf, type RedisKeys } from "./RedisKeys.js";
import type { StoreEntry } from "./Store.js";
import { assertLevel, decodeLevel } from "./StoredLevel.js";

/** Positions of a call's keys that fall in one bucket, with their fields. */
interface BucketGroup {
  bucket: number;
  fields: Buffer[];
  positions: number[];
}

/**
 * @internal Hash buckets with a short binary field per pair (see RedisKeys for the arithmetic):
 * ~12 bytes a pair while buckets stay listpack-encoded. Lookups are one pipeline of HMGET (one per
 * bucket touched), writes one pipeline of HSET, deletes one pipeline of HDEL. No per-pair TTL:
 * a field cannot expire on its own before Redis 7.4, so entries live until the namespace is dropped.
 */
export class CompactLayout implements RedisLayout {
  readonly name = "compact";

  constructor(
    private readonly keys: RedisKeys,
    readonly buckets = DEFAULT_BUCKETS,
  ) {
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > 2 ** 32) {
      throw new RangeError(`buckets must be an integer in 1..2^32, got ${buckets}`);
    }
  }

  async getMany(client: RedisClient, keys: readonly Buffer[]): Promise<(number | undefined)[]> {
    const levels = new Array<number | undefined>(keys.length).fill(undefined);
    if (keys.length === 0) return levels;
    const groups = this.group(keys);
    const pipeline = client.pipeline();
    for (const g of groups) pipeline.hmget(this.keys.bucketKey(this.buckets, g.bucket), ...g.fields);
    const replies = await execPipeline(pipeline);
    groups.forEach((g, i) => {
      const values = replies[i] as (string | null)[];
      g.positions.forEach((position, j) => (levels[position] = decodeLevel(values[j])));
    });
    return levels;
  }

  async setMany(client: RedisClient, entries: readonly StoreEntry[]): Promise<void> {
    if (entries.length === 0) return;
    for (const { level } of entries) assertLevel(level);
    const groups = this.group(entries.map((e) => e.key));
    const pipeline = client.pipeline();
    for (const g of groups) {
      const args: (Buffer | string)[] = [];
      g.fields.forEach((field, j) => args.push(field, String(entries[g.positions[j]!]!.level)));
      pipeline.hset(this.keys.bucketKey(this.buckets, g.bucket), ...args);
    }
    await execPipeline(pipeline);
  }

  async deleteMany(client: RedisClient, keys: readonly Buffer[]): Promise<number> {
    if (keys.length === 0) return 0;
    const pipeline = client.pipeline();
    for (const g of this.group(keys)) pipeline.hdel(this.keys.bucketKey(this.buckets, g.bucket), ...g.fields);
    const replies = await execPipeline(pipeline);
    return replies.reduce<number>((sum, removed) => sum + Number(removed), 0);
  }

  answerLocation(key: Buffer): AnswerLocation {
    return { key: this.keys.bucketKey(this.buckets, bucketOf(key, this.buckets)), field: fieldOf(key) };
  }

  private group(keys: readonly Buffer[]): BucketGroup[] {
    const byBucket = new Map<number, BucketGroup>();
    keys.forEach((key, position) => {
      if (key.length !== PAIR_KEY_BYTES) {
        throw new RangeError(`a pair key is ${PAIR_KEY_BYTES} bytes, got ${key.length}`);
      }
      const bucket = bucketOf(key, this.buckets);
      let g = byBucket.get(bucket);
      if (!g) byBucket.set(bucket, (g = { bucket, fields: [], positions: [] }));
      g.fields.push(fieldOf(key));
      g.positions.push(position);
    });
    return [...byBucket.values()];
  }
}
