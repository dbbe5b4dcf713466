import type { Redis } from "ioredis";

/**
 * Lookup groups for the ioredis baselines, read back from what the proxy itself wrote (SCAN), so
 * the baseline fetches exactly the keys the proxy fetches, in the same shape: one MGET of N keys
 * (keys layout) or one pipeline of HMGETs, one per bucket touched (compact layout).
 */

// Key shapes (services/seniority-cache RedisKeys): `<prefix>{<ns>}:k:<16 bytes>` and
// `<prefix>{<ns>}:b<bucketCount>:<bucket>`. The pair bytes are binary, so a glob alone could match
// a pair key that happens to contain "}:b1:2"; the anchored checks below cannot.
const KEYS_LAYOUT_KEY = /^[^{}]*\{[^{}]*\}:k:[\s\S]{16}$/;
const COMPACT_BUCKET_KEY = /^[^{}]*\{[^{}]*\}:b\d+:\d+$/;

export async function scanKeys(client: Redis, pattern: string): Promise<Buffer[]> {
  const keys: Buffer[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await client.scanBuffer(cursor, "MATCH", pattern, "COUNT", 10_000);
    cursor = next.toString();
    keys.push(...batch);
  } while (cursor !== "0");
  return keys;
}

/** Every keys-layout pair key (`…:k:<16 bytes>`), in groups of `groupSize`. */
export async function keysLayoutGroups(client: Redis, groupSize: number): Promise<Buffer[][]> {
  const keys = (await scanKeys(client, "*}:k:*"))
    .filter((k) => KEYS_LAYOUT_KEY.test(k.toString("latin1")))
    .sort(Buffer.compare);
  return chunk(keys, groupSize);
}

/**
 * Every compact-layout (bucket, field), in groups of `groupSize` pairs, each group as bucket →
 * fields. Pairs are ordered by field (the pair key's hash bytes) so a group spreads over buckets
 * the way a request's pairs do.
 */
export async function compactLayoutGroups(
  client: Redis,
  groupSize: number,
): Promise<Map<Buffer, Buffer[]>[]> {
  const buckets = (await scanKeys(client, "*}:b[0-9]*:[0-9]*")).filter((k) =>
    COMPACT_BUCKET_KEY.test(k.toString("latin1")),
  );
  const entries: { bucket: Buffer; field: Buffer }[] = [];
  for (const part of chunk(buckets, 1000)) {
    const pipeline = client.pipeline();
    for (const bucket of part) pipeline.hkeysBuffer(bucket);
    const replies = (await pipeline.exec()) ?? [];
    replies.forEach(([error, fields], i) => {
      if (error) throw error;
      for (const field of fields as Buffer[]) entries.push({ bucket: part[i]!, field });
    });
  }
  entries.sort((a, b) => Buffer.compare(a.field, b.field));
  return chunk(entries, groupSize).map((group) => {
    const byBucket = new Map<string, { bucket: Buffer; fields: Buffer[] }>();
    for (const { bucket, field } of group) {
      const name = bucket.toString("latin1");
      const entry = byBucket.get(name) ?? { bucket, fields: [] };
      entry.fields.push(field);
      byBucket.set(name, entry);
    }
    return new Map([...byBucket.values()].map((e) => [e.bucket, e.fields]));
  });
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
