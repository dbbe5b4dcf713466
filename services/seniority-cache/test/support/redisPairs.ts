import { Redis } from "ioredis";

/**
 * Pairs stored under `prefix` in Redis: fields of compact-layout hashes plus keys-layout keys (not
 * a namespace's `…:meta` hash, which records its layout, not pairs).
 */
export async function redisPairs(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url);
  try {
    let count = 0;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      for (const key of keys.filter((name) => !name.endsWith(":meta")))
        count += (await redis.type(key)) === "hash" ? await redis.hlen(key) : 1;
    } while (cursor !== "0");
    return count;
  } finally {
    redis.disconnect();
  }
}
