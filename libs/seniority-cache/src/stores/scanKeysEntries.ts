import type { RedisClient } from "@seniority/redis";
import { execPipeline } from "@seniority/redis";
import type { RedisKeys } from "./RedisKeys.js";
import { scanRedisKeys } from "./scanRedisKeys.js";
import type { StoreEntry } from "./Store.js";
import { decodeLevel } from "./StoredLevel.js";

/**
 * keys layout: every pair key and its level, every partition: a SCAN page of COUNT batchSize at a
 * time (scanRedisKeys), each page's values read by one pipeline of GETs (a page may span cluster
 * slots, which one MGET could not). A name of another shape, a key that expired in between or a
 * value that is not a level is skipped.
 */
export async function* scanKeysEntries(
  client: RedisClient,
  keys: RedisKeys,
  options: { batchSize: number; signal?: AbortSignal },
): AsyncGenerator<StoreEntry[]> {
  for await (const names of scanRedisKeys(client, keys.pairKeyPattern(), options.batchSize)) {
    options.signal?.throwIfAborted();
    const pairs = names.flatMap((name) => {
      const key = keys.pairKeyOf(name);
      return key ? [{ name, key }] : [];
    });
    if (pairs.length === 0) continue;
    const pipeline = client.pipeline();
    for (const { name } of pairs) pipeline.getBuffer(name);
    const values = (await execPipeline(pipeline)) as (Buffer | null)[];
    const batch: StoreEntry[] = [];
    pairs.forEach(({ key }, i) => {
      const level = decodeLevel(values[i]?.toString() ?? null);
      if (level !== undefined) batch.push({ key, level });
    });
    if (batch.length > 0) yield batch;
  }
}
