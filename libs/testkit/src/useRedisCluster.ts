import { spawnSync } from "node:child_process";
import { afterAll, beforeAll } from "vitest";
import { RedisCluster, type RedisClusterOptions } from "./RedisCluster.js";

/** True when `redis-server` and `redis-cli` can be run here (the Debian package). */
export const REDIS_CLUSTER_AVAILABLE = ["redis-server", "redis-cli"].every(
  (binary) => spawnSync(binary, ["--version"], { stdio: "ignore" }).status === 0,
);

/** Why cluster suites are skipped, printed once when they are. */
export const REDIS_CLUSTER_SKIP_MESSAGE =
  "redis-server / redis-cli not found: the Redis Cluster suite is skipped (apt-get install redis-server)";

/**
 * A real local Redis Cluster (3 masters + 3 replicas unless told) for the current suite: started
 * in a beforeAll (~3 s), closed in an afterAll. Call it before the suite's own hooks (after-hooks
 * run in reverse, so the suite closes its stores first). Use with
 * `describe.skipIf(!REDIS_CLUSTER_AVAILABLE)`; the getter throws when read before the start.
 */
export function useRedisCluster(options: RedisClusterOptions = {}): { readonly cluster: RedisCluster } {
  let cluster: RedisCluster | undefined;
  beforeAll(async () => {
    if (!REDIS_CLUSTER_AVAILABLE) {
      console.warn(REDIS_CLUSTER_SKIP_MESSAGE);
      return;
    }
    cluster = await RedisCluster.start(options);
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
    cluster = undefined;
  });
  return {
    get cluster() {
      if (!cluster)
        throw new Error("useRedisCluster(): the cluster starts in beforeAll; use it in a hook or a test");
      return cluster;
    },
  };
}
