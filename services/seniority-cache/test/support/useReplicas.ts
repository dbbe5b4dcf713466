import { ModelSim } from "@seniority/model-sim";
import type { OpenSeniorityCacheConfig } from "@seniority/seniority-cache";
import { startAll, useRedis, useStarted, type RedisFixture } from "@seniority/testkit";
import { afterEach, beforeEach } from "vitest";
import { startProxy, type Stack } from "./startStack.js";

/** What useReplicas() hands a suite; `sim` throws when read before it started. */
export interface ReplicasFixture {
  /** The suite's real Redis (useRedis()), which every replica shares. */
  readonly redis: RedisFixture;
  /** The suite's one model-sim (1M items/s), its stats reset before each test. */
  readonly sim: ModelSim;
  /** The current test's key prefix: `<label><n>:`, a new n each test. */
  readonly keyPrefix: string;
  /** Two proxies (`seniority cache` as opened from flags) on the test's prefix, closed after the test. */
  start(config?: Partial<OpenSeniorityCacheConfig>): Promise<[Stack, Stack]>;
  /** Closes every replica started so far (a restart test starts new ones after). */
  closeAll(): Promise<void>;
}

/**
 * Replicas of the caching proxy on one Redis and one model-sim, for the current suite: Redis and
 * the sim for the whole suite, a fresh key prefix and fresh replicas for each test.
 */
export function useReplicas(label: string): ReplicasFixture {
  const redis = useRedis();
  const sim = useStarted("model-sim", () => ModelSim.start({ capacity: 1_000_000 }));
  let prefix = 0;
  let replicas: Stack[] = [];
  const closeAll = async () => {
    const closing = replicas;
    replicas = [];
    await Promise.all(closing.map((replica) => replica.close()));
  };
  beforeEach(() => {
    sim().resetStats();
    prefix++;
  });
  afterEach(closeAll);
  return {
    redis,
    get sim() {
      return sim();
    },
    get keyPrefix() {
      return `${label}${prefix}:`;
    },
    async start(config = {}) {
      const shared = {
        store: redis.url,
        redisKeyPrefix: `${label}${prefix}:`,
        model: sim().address,
        ...config,
      };
      const started = await startAll(startProxy(shared), startProxy(shared));
      replicas.push(...started);
      return started;
    },
    closeAll,
  };
}
