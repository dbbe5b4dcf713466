import { PAIR_KEY_BYTES } from "@seniority/pair-key";
import { execPipeline, RedisScript, type RedisClient, type ScriptCall } from "@seniority/redis";
import { COMPACT_LOOKUP_SCRIPT, COMPACT_WRITE_SCRIPT } from "./lookupScript.js";
import type { AnswerLocation, RedisLayout } from "./RedisLayout.js";
import { bucketOf, COMPACT_FIELD_BYTES, DEFAULT_BUCKETS, fieldOf, type RedisKeys } from "./RedisKeys.js";
import { scanRedisKeys } from "./scanRedisKeys.js";
import { callGroups, perNode, type CallGroup } from "./routeCalls.js";
import type { StoreEntry } from "./Store.js";
import { scanCompactEntries } from "./scanCompactEntries.js";
import { entriesBatchSize, type EntriesOptions, type EntryKeyForm } from "./StoreEntrySource.js";
import { assertLevel, decodeLevel } from "./StoredLevel.js";

const LOOKUP = new RedisScript(COMPACT_LOOKUP_SCRIPT);
const WRITE = new RedisScript(COMPACT_WRITE_SCRIPT);

/** Pairs per lookup- or write-script call; a larger request is several calls written at once. */
const LOOKUPS_PER_CALL = 5000;
/** Fields a bucket holds at the design density (~76) rounded down: buckets per SCAN page = batch / this. */
const FIELDS_PER_BUCKET = 64;

/**
 * Hash buckets with a short binary field per pair (see RedisKeys for the arithmetic):
 * ~12 bytes a pair while buckets stay listpack-encoded. Lookups are one script call (lookupScript:
 * an HGET per pair, server-side), writes one script call (an HSET per pair), deletes one pipeline
 * of HDEL — on a cluster one call per partition touched, one pipeline per node (routeCalls). No
 * per-pair TTL: a field cannot expire on its own before Redis 7.4, so entries live until the
 * namespace is dropped.
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
    const groups = this.groups(client, keys);
    const replies = await this.run(client, LOOKUP, groups, (g) => ({
      keys: g.positions.map((i) => this.bucketKeyOf(keys[i]!)),
      args: g.positions.map((i) => fieldOf(keys[i]!)),
    }));
    replies.forEach((reply, c) => {
      const positions = groups[c]!.positions;
      if (!Array.isArray(reply) || reply.length !== positions.length) {
        throw new Error(`lookup script: expected ${positions.length} replies, got ${String(reply)}`);
      }
      positions.forEach((position, i) => (levels[position] = decodeLevel(reply[i] as number)));
    });
    return levels;
  }

  async setMany(client: RedisClient, entries: readonly StoreEntry[]): Promise<void> {
    if (entries.length === 0) return;
    for (const { level } of entries) assertLevel(level);
    const groups = this.groups(
      client,
      entries.map((e) => e.key),
    );
    await this.run(client, WRITE, groups, (g) => ({
      keys: g.positions.map((i) => this.bucketKeyOf(entries[i]!.key)),
      args: g.positions.flatMap((i) => [fieldOf(entries[i]!.key), entries[i]!.level]),
    }));
  }

  async deleteMany(client: RedisClient, keys: readonly Buffer[]): Promise<number> {
    if (keys.length === 0) return 0;
    const groups = this.groups(client, keys);
    const counts = await perNode(
      client,
      groups,
      (p) => this.keys.slotOf(p),
      async (nodeGroups) => {
        // One HDEL a bucket (all of a request's fields in it), in one pipeline a node.
        const pipeline = client.pipeline();
        const commands = nodeGroups.map((g) => {
          const byBucket = new Map<string, Buffer[]>();
          for (const i of g.positions) {
            const hash = this.bucketKeyOf(keys[i]!);
            const fields = byBucket.get(hash);
            if (fields) fields.push(fieldOf(keys[i]!));
            else byBucket.set(hash, [fieldOf(keys[i]!)]);
          }
          for (const [hash, fields] of byBucket) pipeline.hdel(hash, ...fields);
          return byBucket.size;
        });
        const replies = await execPipeline(pipeline);
        let at = 0;
        return commands.map((n) =>
          replies.slice(at, (at += n)).reduce<number>((sum, r) => sum + Number(r), 0),
        );
      },
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }

  partitionOf(key: Buffer): number {
    return bucketOf(checkedKey(key), this.buckets) % this.keys.partitions!;
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

  /**
   * The fields (pair key bytes 4..12, see StoreScan) of every bucket: one SCAN page of bucket names
   * (about batchSize / 64 of them), then one pipeline of HKEYS for that page, per round.
   */
  async *scanKeys(client: RedisClient, batchSize: number): AsyncGenerator<Buffer[]> {
    let batch: Buffer[] = [];
    const pattern = this.keys.bucketKeyPattern(this.buckets);
    const count = Math.max(1, Math.ceil(batchSize / FIELDS_PER_BUCKET));
    for await (const names of scanRedisKeys(client, pattern, count)) {
      const pipeline = client.pipeline();
      for (const name of names) pipeline.hkeysBuffer(name);
      for (const fields of (await execPipeline(pipeline)) as Buffer[][]) {
        for (const field of fields) {
          if (field.length !== COMPACT_FIELD_BYTES) continue; // not ours: never a pair
          batch.push(field);
          if (batch.length < batchSize) continue;
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
  }

  answerLocation(key: Buffer): AnswerLocation {
    return { key: this.bucketKeyOf(key), field: fieldOf(key), partition: this.partitionOf(key) };
  }

  private bucketKeyOf(key: Buffer): string {
    return this.keys.bucketKey(this.buckets, bucketOf(key, this.buckets));
  }

  /** Checks every key, then groups them into script calls (per partition on a cluster). */
  private groups(client: RedisClient, keys: readonly Buffer[]): CallGroup[] {
    for (const key of keys) checkedKey(key);
    return callGroups(client, keys.length, (i) => this.partitionOf(keys[i]!), LOOKUPS_PER_CALL);
  }

  private run(
    client: RedisClient,
    script: RedisScript,
    groups: readonly CallGroup[],
    call: (group: CallGroup) => ScriptCall,
  ): Promise<unknown[]> {
    return perNode(
      client,
      groups,
      (p) => this.keys.slotOf(p),
      (nodeGroups) => script.runMany(client, nodeGroups.map(call)),
    );
  }
}

function checkedKey(key: Buffer): Buffer {
  if (key.length !== PAIR_KEY_BYTES) {
    throw new RangeError(`a pair key is ${PAIR_KEY_BYTES} bytes, got ${key.length}`);
  }
  return key;
}
