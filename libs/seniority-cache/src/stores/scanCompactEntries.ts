import type { RedisClient } from "@seniority/redis";
import { execPipeline } from "@seniority/redis";
import { COMPACT_FIELD_BYTES, type RedisKeys } from "./RedisKeys.js";
import { scanRedisKeys } from "./scanRedisKeys.js";
import type { StoreEntry } from "./Store.js";
import { decodeLevel } from "./StoredLevel.js";

/** Fields a bucket holds on average (see bucketsFor), to turn a batch size into a SCAN COUNT. */
const FIELDS_PER_BUCKET = 80;

/**
 * compact layout: a stand-in 16-byte key for the pair in `bucket` under `field`: uint32be(bucket) ‖
 * field ‖ 4 zero bytes. A compact layout with the same bucket count files it in that very bucket and
 * field (bucket < count, so bucketOf gives it back), which is all the layout knows of the pair; any
 * other store would file it under a key no lookup ever computes (see EntryKeyForm).
 */
export function compactEntryKey(bucket: number, field: Buffer): Buffer {
  const key = Buffer.alloc(16);
  key.writeUInt32BE(bucket, 0);
  field.copy(key, 4);
  return key;
}

/**
 * compact layout: every (bucket, field) answer of `buckets` buckets, every partition: a SCAN page
 * of bucket names (COUNT about batchSize / 80) at a time (scanRedisKeys), each page's buckets read
 * by one pipeline of HSCANs (a listpack bucket comes whole in one; a larger one is followed to its
 * end). Binary-safe: fields are read as Buffers. A field of another size, a name that is not a
 * bucket of this count, or a value that is not a level is skipped.
 */
export async function* scanCompactEntries(
  client: RedisClient,
  keys: RedisKeys,
  buckets: number,
  options: { batchSize: number; signal?: AbortSignal },
): AsyncGenerator<StoreEntry[]> {
  const count = Math.max(1, Math.ceil(options.batchSize / FIELDS_PER_BUCKET));
  for await (const names of scanRedisKeys(client, keys.bucketKeyPattern(buckets), count)) {
    options.signal?.throwIfAborted();
    const pipeline = client.pipeline();
    for (const name of names) pipeline.hscanBuffer(name, "0", "COUNT", 1000);
    const replies = (await execPipeline(pipeline)) as [Buffer, Buffer[]][];
    const batch: StoreEntry[] = [];
    for (let i = 0; i < names.length; i++) {
      const match = /:b(\d+):(\d+)$/.exec(names[i]!.toString("latin1"));
      const bucket = Number(match?.[2]);
      if (Number(match?.[1]) !== buckets || !(bucket >= 0 && bucket < buckets)) continue;
      let [cursor, flat] = replies[i]!;
      for (;;) {
        for (let f = 0; f + 1 < flat.length; f += 2) {
          const field = flat[f]!;
          const level = decodeLevel(flat[f + 1]!.toString());
          if (field.length === COMPACT_FIELD_BYTES && level !== undefined) {
            batch.push({ key: compactEntryKey(bucket, field), level });
          }
        }
        if (cursor.toString() === "0") break;
        [cursor, flat] = await client.hscanBuffer(names[i]!, cursor.toString(), "COUNT", 1000);
      }
    }
    if (batch.length > 0) yield batch;
  }
}
