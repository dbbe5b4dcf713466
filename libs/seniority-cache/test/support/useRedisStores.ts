import { afterEach, expect } from "vitest";
import { RedisStore, type RedisStoreOptions } from "../../src/stores/RedisStore.js";

/** What useRedisStores() gives a test file. */
export interface RedisStores {
  /** This test's key prefix, `<prefix><testId>:` (e.g. "p3:"). */
  prefix(): string;
  /** Counts the tests of the file that have ended. */
  readonly testId: number;
  /** Closes `store` after the test; returns it. */
  track<T extends RedisStore>(store: T): T;
  /**
   * A store on the Redis at `url()` (namespace "v1:std" and this test's prefix unless given),
   * connected and its layout checked; closed after the test.
   */
  open(options?: Partial<RedisStoreOptions>): Promise<RedisStore>;
}

/**
 * RedisStores for the current test file on a real redis-server (useRedis) or Redis Cluster
 * (useRedisCluster): each test gets its own key prefix, and the stores it opened are closed after
 * it. `connectTimeoutMs` (default 5,000) bounds each open's wait for the first connection.
 */
export function useRedisStores(url: () => string, prefix: string, connectTimeoutMs = 5000): RedisStores {
  let testId = 0;
  const opened: RedisStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    testId++;
  });
  const prefixNow = (): string => `${prefix}${testId}:`;
  const track = <T extends RedisStore>(store: T): T => {
    opened.push(store);
    return store;
  };
  return {
    prefix: prefixNow,
    get testId(): number {
      return testId;
    },
    track,
    async open(options = {}) {
      const store = track(
        RedisStore.fromUrl(url(), { namespace: "v1:std", keyPrefix: prefixNow(), ...options }),
      );
      expect(await store.waitUntilConnected(connectTimeoutMs)).toBe(true);
      await store.checkLayout();
      return store;
    },
  };
}
