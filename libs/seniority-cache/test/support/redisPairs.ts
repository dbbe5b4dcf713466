import { Redis } from "ioredis";

/**
 * Pairs stored under `prefix` in Redis: fields of compact-layout buckets plus keys-layout keys (not
 * claims, pacing, replica presence or a namespace's `…:meta` layout record).
 */
export async function redisPairs(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url);
  try {
    let count = 0;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      for (const key of keys) {
        // Only answers: compact buckets `…}:b<n>:<bucket>` and keys-layout `…}:k:<key>` (not
        // claims, pacing or replica presence).
        if (/\}:b\d+:/.test(key)) count += await redis.hlen(key);
        else if (key.includes("}:k:")) count += 1;
      }
    } while (cursor !== "0");
    return count;
  } finally {
    redis.disconnect();
  }
}
