import { pairKey } from "@seniority/pair-key";
import { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { freePort, useRedis } from "@seniority/testkit";
import { createRedisClient } from "@seniority/redis";
import { openStore, type OpenStoreOptions } from "../src/stores/openStore.js";
import { CompactLayout } from "../src/stores/CompactLayout.js";
import { bucketOf, RedisKeys } from "../src/stores/RedisKeys.js";
import { RedisStore, type RedisStoreOptions } from "../src/stores/RedisStore.js";
import { useRedisStores } from "./support/useRedisStores.js";

const redis = useRedis();
const stores = useRedisStores(() => redis.url, "t");
const { prefix } = stores;
let admin: Redis;
beforeAll(() => {
  admin = redis.client();
});

const key = (i: number): Buffer => pairKey(`Company ${i}`, "Engineer", "standard");
const keys = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => key(i));

/** A store whose client the test holds, so it can count the writes to the socket. */
async function openCounted(
  options: Partial<RedisStoreOptions>,
): Promise<{ store: RedisStore; writes: () => number }> {
  const client = createRedisClient(redis.url) as Redis;
  const store = stores.track(
    new RedisStore(client, { namespace: "v1:std", keyPrefix: prefix(), ...options }),
  );
  expect(await store.waitUntilConnected(5000)).toBe(true);
  let writes = 0;
  const write = client.stream.write.bind(client.stream) as (...args: unknown[]) => boolean;
  client.stream.write = ((...args: unknown[]) => (writes++, write(...args))) as typeof client.stream.write;
  return { store, writes: () => writes };
}

/** openStore on `url` (default the test's Redis) with this test's prefix; closed after the test. */
async function open(options: Partial<OpenStoreOptions> = {}, url = redis.url): Promise<RedisStore> {
  const { store } = await openStore(url, { namespace: "v1:std", keyPrefix: prefix(), ...options });
  return stores.track(store as RedisStore);
}

/** `calls` of each command since the last CONFIG RESETSTAT, from INFO commandstats. */
async function commandCalls(): Promise<Record<string, number>> {
  const info = await admin.info("commandstats");
  return Object.fromEntries(
    [...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].map((m) => [m[1]!, Number(m[2])]),
  );
}

describe("RedisStore", () => {
  it("compact: names keys <prefix>{ns}:b<buckets>:<bucket>, field = key bytes 4..12, value = level; records the count in <prefix>{ns}:meta", async () => {
    const store = await open({ buckets: 1024 });
    await store.setMany([{ key: key(1), level: 5 }]);
    const name = `${prefix()}{v1:std}:b1024:${key(1).readUInt32BE(0) % 1024}`;
    expect((await admin.keys(`${prefix()}*`)).sort()).toEqual([name, `${prefix()}{v1:std}:meta`]);
    expect(await admin.hgetall(`${prefix()}{v1:std}:meta`)).toEqual({ buckets: "1024", partitions: "1" });
    expect(await admin.hgetallBuffer(name)).toEqual({
      [key(1).subarray(4, 12).toString()]: Buffer.from("5"),
    });
    expect(await admin.hlen(name)).toBe(1);
    expect(await admin.object("ENCODING", name)).toBe("listpack");
  });

  it("keys: names keys <prefix>{ns}:k:<16 raw bytes>; records the partition count in <prefix>{ns}:meta", async () => {
    const store = await open({ namespace: "v1:cf", layout: "keys" });
    await store.setMany([{ key: key(1), level: 2 }]);
    const name = Buffer.concat([Buffer.from(`${prefix()}{v1:cf}:k:`), key(1)]);
    const meta = Buffer.from(`${prefix()}{v1:cf}:meta`);
    expect((await admin.keysBuffer(`${prefix()}*`)).sort(Buffer.compare)).toEqual(
      [name, meta].sort(Buffer.compare),
    );
    expect(await admin.hgetall(meta)).toEqual({ partitions: "1" }); // no bucket count: not compact
    expect(await admin.get(name)).toBe("2");
    expect(await admin.ttl(name)).toBe(-1);
  });

  it.each<[string, Partial<RedisStoreOptions>]>([
    ["compact", { buckets: 256 }],
    ["keys", { layout: "keys" }],
    ["keys with ttl", { layout: "keys", ttlSeconds: 60 }],
  ])("%s: 1,000 keys cost one round trip per call", async (_name, options) => {
    const { store, writes: written } = await openCounted(options);
    const ks = keys(1000);
    // The compact lookup and write scripts are sent in full once per server (EVALSHA → NOSCRIPT → EVAL).
    await store.getMany([ks[0]!]);
    await store.setMany([{ key: ks[0]!, level: 1 }]);
    const before = written();
    const writes = (): number => written() - before;
    await admin.config("RESETSTAT");
    await store.setMany(ks.map((k, i) => ({ key: k, level: (i % 7) + 1 })));
    expect(writes()).toBe(1);
    expect(await store.getMany(ks)).toEqual(ks.map((_, i) => (i % 7) + 1));
    expect(writes()).toBe(2);
    expect(await store.deleteMany(ks)).toBe(1000);
    expect(writes()).toBe(3);
    const calls = await commandCalls();
    const buckets = new Set(ks.map((k) => bucketOf(k, 256))).size;
    if (options.layout === undefined) {
      // One script call each for the writes and the lookups; their HSETs and HGETs run inside Redis.
      expect([calls["hset"], calls["evalsha"], calls["hget"], calls["hdel"]]).toEqual([
        1000,
        2,
        1000,
        buckets,
      ]);
    } else if (options.ttlSeconds !== undefined) {
      expect([calls["set"], calls["getex"], calls["del"]]).toEqual([1000, 1000, 1]);
    } else {
      expect([calls["mset"], calls["mget"], calls["del"]]).toEqual([1, 1, 1]);
    }
  });

  it("compact: lookups work on a server that lost the script, and read foreign values as no answer", async () => {
    const { store, writes } = await openCounted({ buckets: 256 });
    const ks = keys(12_000); // more than one script call (5,000 pairs each), still one write
    await store.setMany(ks.map((k, i) => ({ key: k, level: (i % 7) + 1 })));
    await admin.script("FLUSH");
    const redisKeys = new RedisKeys(prefix(), "v1:std");
    redisKeys.usePartitions(1);
    const layout = new CompactLayout(redisKeys, 256);
    const { key: hash, field } = layout.answerLocation(ks[3]!);
    await admin.hset(hash, field as Buffer, "x");
    const before = writes();
    const levels = await store.getMany([...ks, key(999_999)]);
    expect(writes() - before).toBe(2); // EVALSHA ×3 in one write (NOSCRIPT), then EVAL ×3 in one
    expect(levels).toEqual([...ks.map((_, i) => (i === 3 ? undefined : (i % 7) + 1)), undefined]);
  });

  it("keys with ttl: sets the TTL and refreshes it on a hit, not on a miss", async () => {
    const store = await open({ layout: "keys", ttlSeconds: 100 });
    await store.setMany([{ key: key(1), level: 4 }]);
    const name = Buffer.concat([Buffer.from(`${prefix()}{v1:std}:k:`), key(1)]);
    expect(await admin.pttl(name)).toBeGreaterThan(99_000);
    await admin.expire(name, 5);
    expect(await admin.pttl(name)).toBeLessThanOrEqual(5000);
    expect(await store.getMany([key(1), key(2)])).toEqual([4, undefined]);
    expect(await admin.pttl(name)).toBeGreaterThan(99_000);
    expect(await admin.exists(Buffer.concat([Buffer.from(`${prefix()}{v1:std}:k:`), key(2)]))).toBe(0);
  });

  it("refuses a TTL with the compact layout", async () => {
    await expect(openStore(redis.url, { namespace: "v1:std", ttlSeconds: 10 })).rejects.toThrow(
      "a TTL needs the keys layout (compact hash fields cannot expire one by one)",
    );
  });

  it.each([
    // The socket timeout drops the connection (so `connected` turns false); a command timeout does not.
    [
      "a silent connection is dropped after socketTimeoutMs",
      { socketTimeoutMs: 200 },
      "Reached the max retries per request limit (which is 0)",
      false,
    ],
    [
      "a command rejects after commandTimeoutMs",
      { socketTimeoutMs: 5000, commandTimeoutMs: 200 },
      "Command timed out",
      true,
    ],
  ])("%s (Redis paused)", async (_name, timeouts, message, stillConnected) => {
    const store = await open(timeouts);
    await admin.call("CLIENT", "PAUSE", "600", "ALL");
    const started = performance.now();
    await expect(store.getMany(keys(10))).rejects.toThrow(message);
    expect(performance.now() - started).toBeLessThan(500);
    expect(store.connected).toBe(stillConnected);
    await admin.call("CLIENT", "UNPAUSE");
    expect(await store.waitUntilConnected(5000)).toBe(true);
    expect(await store.getMany(keys(2))).toEqual([undefined, undefined]);
  });

  it("Redis killed → fails fast and reports disconnected; restarted → works again", async () => {
    const store = await open();
    const changes: boolean[] = [];
    store.onConnectionChange((up) => changes.push(up));
    await store.setMany([{ key: key(1), level: 3 }]);
    expect(store.connected).toBe(true);

    const down = new Promise<void>((resolve) => store.onConnectionChange((up) => !up && resolve()));
    await redis.server.stop();
    await down;
    expect(store.connected).toBe(false);
    const started = performance.now();
    await expect(store.getMany([key(1)])).rejects.toThrow("Stream isn't writeable");
    await expect(store.setMany([{ key: key(2), level: 3 }])).rejects.toThrow("Stream isn't writeable");
    expect(performance.now() - started).toBeLessThan(100);

    await redis.server.start();
    expect(await store.waitUntilConnected(10_000)).toBe(true);
    // The server ran without persistence, so the data is gone; the store works again.
    expect(await store.getMany([key(1)])).toEqual([undefined]);
    await store.setMany([{ key: key(1), level: 6 }]);
    expect(await store.getMany([key(1)])).toEqual([6]);
    expect(changes).toEqual([false, true]);
  });

  it("starts degraded when Redis is not there, failing fast", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const started = performance.now();
    const store = await open({ connectTimeoutMs: 300 }, url);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(store.connected).toBe(false);
    await expect(store.getMany([key(1)])).rejects.toThrow("Stream isn't writeable");
  });
});
