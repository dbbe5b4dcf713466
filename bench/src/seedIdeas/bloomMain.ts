import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RedisServer } from "@seniority/testkit";
import { measureBloom } from "./bloom.js";
import { measureBloomCosts } from "./bloomRebuild.js";

/**
 * `node bench/seedIdeas/bloom.js [filesPerMonth] [linesPerFile] [rebuildKeys]`: the Bloom idea's
 * seedIdeas rows and its costs, against a redis-server of its own; prints JSON.
 */
export async function main(args: readonly string[]): Promise<number> {
  const [filesPerMonth = 60, linesPerFile = 2500, rebuildKeys = 200_000] = args.map(Number);
  const redis = await RedisServer.start();
  const dir = mkdtempSync(join(tmpdir(), "seed-bloom-"));
  const log = (message: string) => console.error(`[bloom ${new Date().toISOString()}] ${message}`);
  try {
    const result = await measureBloom({ redisUrl: redis.url, filesPerMonth, linesPerFile, log });
    const costs = await measureBloomCosts({ redisUrl: redis.url, dir, keys: rebuildKeys, log });
    console.log(JSON.stringify({ filesPerMonth, linesPerFile, ...result, costs }, null, 2));
    return 0;
  } finally {
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
