import type { RedisClient } from "@seniority/redis";
import type { RedisKeys } from "./RedisKeys.js";
import { scanNodes } from "./scanNodes.js";
import type { StoreEntry } from "./Store.js";
import { decodeLevel } from "./StoredLevel.js";

/**
 * keys layout: every pair key and its level, a SCAN step of COUNT batchSize at a time, each step's
 * values read by one MGET. Key names are read as Buffers (the pair key is 16 raw bytes); a name
 * of another shape, a key that expired in between or a value that is not a level is skipped.
 */
export async function* scanKeysEntries(
  client: RedisClient,
  keys: RedisKeys,
  options: { batchSize: number; signal?: AbortSignal },
): AsyncGenerator<StoreEntry[]> {
  for (const node of scanNodes(client)) {
    let cursor = "0";
    do {
      options.signal?.throwIfAborted();
      const [next, names] = await node.scanBuffer(
        cursor,
        "MATCH",
        keys.pairPattern(),
        "COUNT",
        options.batchSize,
      );
      cursor = next.toString();
      const pairs = names.flatMap((name) => {
        const key = keys.pairKeyOf(name);
        return key ? [{ name, key }] : [];
      });
      if (pairs.length === 0) continue;
      const values = await node.mgetBuffer(pairs.map((p) => p.name));
      const batch: StoreEntry[] = [];
      pairs.forEach(({ key }, i) => {
        const level = decodeLevel(values[i]?.toString() ?? null);
        if (level !== undefined) batch.push({ key: Buffer.from(key), level });
      });
      if (batch.length > 0) yield batch;
    } while (cursor !== "0");
  }
}
