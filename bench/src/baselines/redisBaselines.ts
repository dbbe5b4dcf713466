import type { Redis } from "ioredis";

/**
 * Baselines that talk to Redis with ioredis alone (none of our code): what a pair costs in memory
 * in the two obvious layouts, and how fast pipelined lookups of N keys go without gRPC in front.
 */

/**
 * A deterministic, well-spread 16-byte key for pair number i (the size of a pair-key hash), from
 * four rounds of a 32-bit mixer: hashing a million keys must not cost more than writing them.
 */
export function syntheticKey(i: number): Buffer {
  const key = Buffer.allocUnsafe(16);
  let x = (i + 1) >>> 0;
  for (let word = 0; word < 4; word++) {
    // splitmix32-style finalizer over (i, word)
    x = (x + 0x9e3779b9 + word) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    key.writeUInt32BE((z ^ (z >>> 16)) >>> 0, word * 4);
  }
  return key;
}

/** Fields per hash bucket in the raw compact baseline: under Redis's listpack limit (128). */
export const FIELDS_PER_BUCKET = 100;

/** The raw compact baseline's bucket of a key: 4 bytes of the key, modulo the bucket count. */
export function bucketOf(key: Buffer, buckets: number): Buffer {
  const bucket = Buffer.alloc(6);
  bucket.write("b:", 0, "latin1");
  bucket.writeUInt32BE(key.readUInt32BE(0) % buckets, 2);
  return bucket;
}

export type RawLayout = "string-keys" | "hash-buckets";

/**
 * Writes `count` pairs (level 3) in the given raw layout into an empty database and returns the
 * growth of `INFO memory` used_memory per pair, bytes. Written in bulk (MSET of 1000 keys; one
 * multi-field HSET a bucket): the memory a layout takes does not depend on how it was written.
 */
export async function rawBytesPerPair(client: Redis, layout: RawLayout, count: number): Promise<number> {
  await client.flushdb();
  const before = await usedMemory(client);
  const buckets = Math.max(1, Math.ceil(count / FIELDS_PER_BUCKET));
  if (layout === "string-keys") {
    for (let start = 0; start < count; start += 100_000) {
      const pipeline = client.pipeline();
      for (let i = start; i < Math.min(count, start + 100_000); i += 1000) {
        const args: (Buffer | string)[] = [];
        for (let j = i; j < Math.min(count, i + 1000); j++) args.push(syntheticKey(j), "3");
        pipeline.mset(...args);
      }
      await execOrThrow(pipeline);
    }
  } else {
    const fields = new Map<string, { bucket: Buffer; args: (Buffer | string)[] }>();
    for (let i = 0; i < count; i++) {
      const key = syntheticKey(i);
      const bucket = bucketOf(key, buckets);
      const name = bucket.toString("latin1");
      const entry = fields.get(name) ?? { bucket, args: [] };
      entry.args.push(key, "3");
      fields.set(name, entry);
    }
    const all = [...fields.values()];
    for (let start = 0; start < all.length; start += 1000) {
      const pipeline = client.pipeline();
      for (const { bucket, args } of all.slice(start, start + 1000)) pipeline.hset(bucket, ...args);
      await execOrThrow(pipeline);
    }
  }
  const after = await usedMemory(client);
  return (after - before) / count;
}

async function execOrThrow(pipeline: ReturnType<Redis["pipeline"]>): Promise<void> {
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error);
  if (failed) throw failed[0]!;
}

export async function usedMemory(client: Redis): Promise<number> {
  const match = /^used_memory:(\d+)/m.exec(await client.info("memory"));
  if (!match) throw new Error("INFO memory has no used_memory");
  return Number(match[1]);
}

/**
 * One lookup of a group of keys as a single MGET (one round trip); resolves to the number of
 * keys answered and throws if any was missing (the baseline must be all hits, like the proxy's).
 */
export async function mgetAll(client: Redis, keys: readonly Buffer[]): Promise<number> {
  const values = await client.mgetBuffer(...keys);
  if (values.some((v) => v === null)) throw new Error("redis baseline: a key was missing");
  return values.length;
}

/** One lookup of a group of keys as pipelined HMGETs, one per bucket (one round trip). */
export async function hmgetAll(
  client: Redis,
  byBucket: ReadonlyMap<Buffer, readonly Buffer[]>,
): Promise<number> {
  const pipeline = client.pipeline();
  for (const [bucket, fields] of byBucket) pipeline.hmgetBuffer(bucket, ...fields);
  const results = (await pipeline.exec()) ?? [];
  let count = 0;
  for (const [error, values] of results) {
    if (error) throw error;
    for (const value of values as (Buffer | null)[]) {
      if (value === null) throw new Error("redis baseline: a field was missing");
      count++;
    }
  }
  return count;
}
