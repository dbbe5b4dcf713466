import type { Redis } from "ioredis";
import type { RedisClient } from "@seniority/redis";

/**
 * The key names matching `pattern`, one SCAN page at a time (`COUNT count`, so each round trip
 * stays short and Redis keeps serving between them); empty pages are skipped. SCAN returns every
 * key present for the whole iteration at least once (a key may come twice: callers tolerate it).
 *
 * Cluster: a namespace's partitions are spread over the masters; each master is scanned in turn.
 */
export async function* scanRedisKeys(
  client: RedisClient,
  pattern: string,
  count: number,
): AsyncGenerator<Buffer[]> {
  const nodes: Redis[] = "nodes" in client ? client.nodes("master") : [client];
  for (const node of nodes) {
    let cursor = "0";
    do {
      const [next, names] = await node.scanBuffer(cursor, "MATCH", pattern, "COUNT", count);
      cursor = next.toString();
      if (names.length > 0) yield names;
    } while (cursor !== "0");
  }
}
