import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * Baselines that talk to Redis with ioredis alone (none of our code): what a pair costs in memory
 * in the two obvious layouts, and how fast pipelined lookups of N keys go without gRPC in front.
 */

/** A deterministic 16-byte key for pair number i (the size of a pair-key hash). */
export function syntheticKey(i: number): Buffer {
  return createHash("sha256").update(`pair-${i}`).digest().subarray(0, 16);
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
 * growth of `INFO memory` used_memory per pair, bytes. Pipelines of 10,000 commands.
 */
export async function rawBytesPerPair(client: Redis, layout: RawLayout, count: number): Promise<number> {
  await client.flushdb();
  const before = await usedMemory(client);
  const buckets = Math.max(1, Math.ceil(count / FIELDS_PER_BUCKET));
  for (let start = 0; start < count; start += 10_000) {
    const pipeline = client.pipeline();
    for (let i = start; i < Math.min(count, start + 10_000); i++) {
      const key = syntheticKey(i);
      if (layout === "string-keys") pipeline.set(key, "3");
      else pipeline.hset(bucketOf(key, buckets), key, "3");
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0]!;
  }
  const after = await usedMemory(client);
  return (after - before) / count;
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
