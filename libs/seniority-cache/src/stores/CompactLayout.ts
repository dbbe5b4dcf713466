import { PAIR_KEY_BYTES } from "@seniority/pair-key";
import { execPipeline } from "@seniority/redis";
import { COMPACT_LOOKUP_SCRIPT, COMPACT_WRITE_SCRIPT } from "./lookupScript.js";
import { RedisScript, type ScriptCall } from "@seniority/redis";
import type { RedisClient } from "@seniority/redis";
import type { AnswerLocation, RedisLayout } from "./RedisLayout.js";
import { bucketOf, DEFAULT_BUCKETS, fieldOf, type RedisKeys } from "./RedisKeys.js";
import { scanCompactEntries } from "./scanCompactEntries.js";
import type { StoreEntry } from "./Store.js";
import { entriesBatchSize, type EntriesOptions, type EntryKeyForm } from "./StoreEntrySource.js";
import { assertLevel, decodeLevel } from "./StoredLevel.js";

const LOOKUP = new RedisScript(COMPACT_LOOKUP_SCRIPT);
const WRITE = new RedisScript(COMPACT_WRITE_SCRIPT);

/** Pairs per lookup- or write-script call; a larger request is several calls written at once. */
const LOOKUPS_PER_CALL = 5000;

/** Positions of a call's keys that fall in one bucket, with their fields. */
interface BucketGroup {
  bucket: number;
  fields: Buffer[];
  positions: number[];
}

/**
 * Hash buckets with a short binary field per pair (see RedisKeys for the arithmetic):
 * ~12 bytes a pair while buckets stay listpack-encoded. Lookups are one script call (lookupScript:
 * an HGET per pair, server-side), writes one script call (an HSET per pair), deletes one pipeline of HDEL. No per-pair TTL:
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
    // Chunks of LOOKUPS_PER_CALL pairs, written together: one round trip whatever the size.
    const calls: ScriptCall[] = [];
    for (let start = 0; start < keys.length; start += LOOKUPS_PER_CALL) {
      const end = Math.min(keys.length, start + LOOKUPS_PER_CALL);
      const hashes = new Array<string>(end - start);
      const fields = new Array<Buffer>(end - start);
      for (let i = start; i < end; i++) {
        const key = checkedKey(keys[i]!);
        hashes[i - start] = this.keys.bucketKey(this.buckets, bucketOf(key, this.buckets));
        fields[i - start] = fieldOf(key);
      }
      calls.push({ keys: hashes, args: fields });
    }
    const replies = await LOOKUP.runMany(client, calls);
    replies.forEach((reply, c) => {
      const start = c * LOOKUPS_PER_CALL;
      const count = calls[c]!.keys.length;
      if (!Array.isArray(reply) || reply.length !== count) {
        throw new Error(`lookup script: expected ${count} replies, got ${String(reply)}`);
      }
      for (let i = 0; i < count; i++) levels[start + i] = decodeLevel(reply[i] as number);
    });
    return levels;
  }

  async setMany(client: RedisClient, entries: readonly StoreEntry[]): Promise<void> {
    if (entries.length === 0) return;
    for (const { level } of entries) assertLevel(level);
    // One write-script call per LOOKUPS_PER_CALL pairs, all written at once (see lookupScript).
    const calls: ScriptCall[] = [];
    for (let start = 0; start < entries.length; start += LOOKUPS_PER_CALL) {
      const end = Math.min(entries.length, start + LOOKUPS_PER_CALL);
      const hashes = new Array<string>(end - start);
      const args = new Array<Buffer | number>(2 * (end - start));
      for (let i = start; i < end; i++) {
        const { key, level } = entries[i]!;
        checkedKey(key);
        hashes[i - start] = this.keys.bucketKey(this.buckets, bucketOf(key, this.buckets));
        args[2 * (i - start)] = fieldOf(key);
        args[2 * (i - start) + 1] = level;
      }
      calls.push({ keys: hashes, args });
    }
    await WRITE.runMany(client, calls);
  }

  async deleteMany(client: RedisClient, keys: readonly Buffer[]): Promise<number> {
    if (keys.length === 0) return 0;
    const pipeline = client.pipeline();
    for (const g of this.group(keys)) pipeline.hdel(this.keys.bucketKey(this.buckets, g.bucket), ...g.fields);
    const replies = await execPipeline(pipeline);
    return replies.reduce<number>((sum, removed) => sum + Number(removed), 0);
  }

  get keyForm(): EntryKeyForm {
    return { kind: "compact", buckets: this.buckets };
  }

  entries(client: RedisClient, options: EntriesOptions = {}): AsyncGenerator<StoreEntry[]> {
    const { signal } = options;
    return scanCompactEntries(client, this.keys, this.buckets, {
      batchSize: entriesBatchSize(options),
      ...(signal ? { signal } : {}),
    });
  }

  answerLocation(key: Buffer): AnswerLocation {
    return { key: this.keys.bucketKey(this.buckets, bucketOf(key, this.buckets)), field: fieldOf(key) };
  }

  private group(keys: readonly Buffer[]): BucketGroup[] {
    const byBucket = new Map<number, BucketGroup>();
    keys.forEach((key, position) => {
      checkedKey(key);
      const bucket = bucketOf(key, this.buckets);
      let g = byBucket.get(bucket);
      if (!g) byBucket.set(bucket, (g = { bucket, fields: [], positions: [] }));
      g.fields.push(fieldOf(key));
      g.positions.push(position);
    });
    return [...byBucket.values()];
  }
}

function checkedKey(key: Buffer): Buffer {
  if (key.length !== PAIR_KEY_BYTES) {
    throw new RangeError(`a pair key is ${PAIR_KEY_BYTES} bytes, got ${key.length}`);
  }
  return key;
}
