import { pairKey } from "@seniority/pair-key";
import { useRedis } from "@seniority/testkit";
import type { Redis } from "ioredis";
import { beforeAll } from "vitest";
import type { CoordinationOptions, ReplicaCoordination } from "../../src/replicas/ReplicaCoordination.js";
import type { RedisStore } from "../../src/stores/RedisStore.js";
import { useRedisStores } from "./useRedisStores.js";

/**
 * Replicas sharing one real redis-server for the current test file. Each test gets its own key
 * prefix `c<testId>:`; the stores a test opened are closed after it. `admin` (a plain client, to
 * read what the scripts wrote) and `testId` can be read in a hook or a test.
 */
export function useCoordinationReplicas() {
  const redis = useRedis();
  const stores = useRedisStores(() => redis.url, "c");
  let admin: Redis | undefined;
  beforeAll(() => {
    admin = redis.client();
  });

  /** A replica: its own store connection (one layout, this test's prefix) and its coordination. */
  async function replica(
    layout: "compact" | "keys" = "compact",
    options: Partial<CoordinationOptions> = {},
  ): Promise<{ store: RedisStore; coordination: ReplicaCoordination }> {
    const store = await stores.open({ layout });
    return { store, coordination: store.openCoordination({ claimTtlMs: 10_000, ...options }) };
  }

  return {
    replica,
    /** The pair key of (`Company <i>`, Engineer). */
    key: (i: number): Buffer => pairKey(`Company ${i}`, "Engineer", "standard"),
    get admin(): Redis {
      if (!admin) throw new Error("useCoordinationReplicas(): admin connects in beforeAll");
      return admin;
    },
    get testId(): number {
      return stores.testId;
    },
  };
}
