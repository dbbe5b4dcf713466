import { pairKey } from "@seniority/pair-key";
import { useRedis } from "@seniority/testkit";
import type { Redis } from "ioredis";
import { afterEach, beforeAll, expect } from "vitest";
import type { CoordinationOptions, ReplicaCoordination } from "../../src/replicas/ReplicaCoordination.js";
import { RedisStore } from "../../src/stores/RedisStore.js";

/**
 * Replicas sharing one real redis-server for the current test file. Each test gets its own key
 * prefix `c<testId>:`; the stores a test opened are closed after it. `admin` (a plain client, to
 * read what the scripts wrote) and `testId` can be read in a hook or a test.
 */
export function useCoordinationReplicas() {
  const redis = useRedis();
  let admin: Redis | undefined;
  let testId = 0;
  const opened: RedisStore[] = [];

  beforeAll(() => {
    admin = redis.client();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    testId++;
  });

  /** A replica: its own store connection (one layout, this test's prefix) and its coordination. */
  async function replica(
    layout: "compact" | "keys" = "compact",
    options: Partial<CoordinationOptions> = {},
  ): Promise<{ store: RedisStore; coordination: ReplicaCoordination }> {
    const store = RedisStore.fromUrl(redis.url, { namespace: "v1:std", keyPrefix: `c${testId}:`, layout });
    opened.push(store);
    expect(await store.waitUntilConnected(5000)).toBe(true);
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
      return testId;
    },
  };
}
