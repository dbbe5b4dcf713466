import calculateSlot from "cluster-key-slot";
import { pairKey } from "@seniority/pair-key";
import { useRedis } from "@seniority/testkit";
import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { openSeniorityCache } from "../src/core/openSeniorityCache.js";
import { partitionTags } from "../src/stores/partitionTags.js";
import { RedisStore } from "../src/stores/RedisStore.js";
import { RecordingModel } from "./support/RecordingModel.js";
import { useRedisStores } from "./support/useRedisStores.js";

const redis = useRedis();
const stores = useRedisStores(() => redis.url, "p");
const { prefix, open } = stores;
let admin: Redis;
beforeAll(() => {
  admin = redis.client();
});

const key = (i: number): Buffer => pairKey(`Company ${i}`, "Engineer", "standard");

describe("partitionTags", () => {
  it("puts partition k's tag in the k-th of P equal slot ranges; one partition is the namespace itself", () => {
    expect(partitionTags("v1:std", 1)).toEqual(["v1:std"]);
    const tags = partitionTags("v1:std", 64);
    expect(new Set(tags).size).toBe(64);
    tags.forEach((tag, k) => {
      expect(tag).toMatch(/^v1:std:p\d+$/);
      expect(Math.floor((calculateSlot(tag) * 64) / 16_384)).toBe(k);
    });
    expect(partitionTags("v1:std", 64)).toEqual(tags); // every replica derives the same tags
    for (const bad of [0, 16_385, 2.5]) {
      expect(() => partitionTags("v1:std", bad)).toThrow(
        `partitions must be an integer in 1..16384, got ${bad}`,
      );
    }
  });
});

describe("partitions on a single Redis server", () => {
  it("a new namespace gets 1 partition: the key bytes of the layout before partitions", async () => {
    const store = await open({ buckets: 1024 });
    await store.setMany([{ key: key(1), level: 5 }]);
    expect(await admin.hgetall(`${prefix()}{v1:std}:meta`)).toEqual({ buckets: "1024", partitions: "1" });
    expect(await admin.keys(`${prefix()}{v1:std}:b1024:*`)).toEqual([
      `${prefix()}{v1:std}:b1024:${key(1).readUInt32BE(0) % 1024}`,
    ]);
  });

  it("with 64 partitions: names under each partition's tag, still one script call per request", async () => {
    const store = await open({ buckets: 1024, partitions: 64 });
    const keys = Array.from({ length: 2000 }, (_, i) => key(i));
    await store.setMany(keys.map((k, i) => ({ key: k, level: (i % 7) + 1 })));
    const tags = partitionTags("v1:std", 64);
    const bucket = key(1).readUInt32BE(0) % 1024;
    expect(
      await admin.hexists(`${prefix()}{${tags[bucket % 64]}}:b1024:${bucket}`, key(1).subarray(4, 12)),
    ).toBe(1);
    await store.getMany(keys); // the script is loaded
    await admin.config("RESETSTAT");
    expect(await store.getMany(keys)).toEqual(keys.map((_, i) => (i % 7) + 1));
    expect(/cmdstat_evalsha:calls=(\d+)/.exec(await admin.info("commandstats"))?.[1]).toBe("1");
    expect(await store.deleteMany(keys.slice(0, 10))).toBe(10);
  });

  it("reopening takes the recorded count, and refuses another one given explicitly", async () => {
    const first = await open({ buckets: 1024, partitions: 64 });
    await first.setMany([{ key: key(7), level: 6 }]);
    const again = await open({ buckets: 1024 });
    expect(await again.getMany([key(7)])).toEqual([6]);
    await expect(open({ buckets: 1024, partitions: 8 })).rejects.toThrow(
      '--redis-partitions 8 does not match namespace "v1:std" in this Redis, which keeps its pairs in 64 partitions',
    );
  });

  it("a namespace written before partitions (bucket count, no partition count) keeps one: its pairs are read", async () => {
    const bucket = key(3).readUInt32BE(0) % 1024;
    await admin.hset(`${prefix()}{v1:std}:meta`, "buckets", "1024");
    await admin.hset(`${prefix()}{v1:std}:b1024:${bucket}`, key(3).subarray(4, 12), "2");
    const store = await open({ buckets: 1024 });
    expect(await store.getMany([key(3)])).toEqual([2]);
    expect(await admin.hget(`${prefix()}{v1:std}:meta`, "partitions")).toBe("1");
  });

  it("the first command checks the layout when nobody did (pair keys need the partition count)", async () => {
    const store = stores.track(
      RedisStore.fromUrl(redis.url, { namespace: "v1:std", keyPrefix: prefix(), layout: "keys" }),
    );
    expect(await store.waitUntilConnected(5000)).toBe(true);
    await store.setMany([{ key: key(9), level: 4 }]);
    expect(await store.getMany([key(9)])).toEqual([4]);
    expect(await admin.hgetall(`${prefix()}{v1:std}:meta`)).toEqual({ partitions: "1" });
  });

  it("openSeniorityCache passes redisPartitions (--redis-partitions) to the store", async () => {
    const cache = await openSeniorityCache({
      store: redis.url,
      redisKeyPrefix: prefix(),
      redisBuckets: 1024,
      redisPartitions: 16,
      model: new RecordingModel(),
      l1Entries: 16,
    });
    try {
      const { namespace } = cache.stats();
      expect(await admin.hgetall(`${prefix()}{${namespace}}:meta`)).toEqual({
        buckets: "1024",
        partitions: "16",
      });
    } finally {
      await cache.close();
    }
  });
});
