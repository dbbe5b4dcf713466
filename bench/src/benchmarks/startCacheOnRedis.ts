import type { BenchContext } from "../core/Benchmark.js";
import { CacheProcess } from "../infra/CacheProcess.js";
import type { ModelSimProcess } from "../infra/ModelSimProcess.js";
import type { RedisProcess } from "../infra/RedisProcess.js";

/**
 * `seniority cache` (process name "cache") in front of `model` with `redis` as its store, pacing
 * the model at `modelCapacity` items/s; stopped when the benchmark ends, however it ends.
 */
export async function startCacheOnRedis(
  ctx: BenchContext,
  model: ModelSimProcess,
  redis: RedisProcess,
  modelCapacity: number,
): Promise<CacheProcess> {
  const proxy = await CacheProcess.start(ctx.workDir, {
    name: "cache",
    model: model.address,
    store: redis.url,
    modelCapacity,
  });
  ctx.defer(() => proxy.close());
  return proxy;
}
