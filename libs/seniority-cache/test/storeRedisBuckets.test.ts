import { Writable } from "node:stream";
import { pairKey } from "@seniority/pair-key";
import { Redis } from "ioredis";
import { pino } from "pino";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useRedis } from "@seniority/testkit";
import { bucketsFor, expectedFullestBucket } from "../src/stores/bucketsFor.js";
import { LayoutMismatchError } from "../src/stores/LayoutMismatchError.js";
import { openStore, type OpenStoreOptions } from "../src/stores/openStore.js";
import type { Store } from "../src/stores/Store.js";

const redis = useRedis();
let admin: Redis;
let testId = 0;
const opened: Store[] = [];
const logged: { level: number; msg: string }[] = [];
const logger = pino(
  { level: "info" },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  }),
);
const WARN = 40;

beforeAll(() => {
  admin = redis.client();
  admin.on("error", () => {}); // during the outage of the last test: expected
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await admin.config("SET", "hash-max-listpack-entries", "128");
  logged.length = 0;
  testId++;
});

const prefix = (): string => `t${testId}:`;
const key = (i: number): Buffer => pairKey(`Company ${i}`, "Engineer", "standard");

async function open(options: Partial<OpenStoreOptions> = {}, url = redis.url): Promise<Store> {
  const { store } = await openStore(url, { namespace: "v1:std", keyPrefix: prefix(), logger, ...options });
  opened.push(store);
  return store;
}

describe("compact layout sizing", () => {
  it("derives the bucket count from the expected pairs (20M → 262,144, the count used before)", () => {
    expect([bucketsFor(20_000_000), bucketsFor(1_000_000), bucketsFor(50_000_000), bucketsFor(1)]).toEqual([
      262_144, 16_384, 1_048_576, 1,
    ]);
    expect(() => bucketsFor(0)).toThrow("expected pairs must be an integer >= 1, got 0");
    // The fullest bucket at the design size stays under Redis' default listpack limit; 22M does not.
    expect(expectedFullestBucket(20_000_000, 262_144)).toBeLessThan(128);
    expect(expectedFullestBucket(22_000_000, 262_144)).toBeGreaterThan(128);
  });

  it("writes pairs into the derived buckets and records the count in the namespace's meta key", async () => {
    const store = await open({ expectedPairs: 1_000_000 });
    await store.setMany([{ key: key(1), level: 3 }]);
    const bucket = key(1).readUInt32BE(0) % 16_384;
    expect(await admin.hgetall(`${prefix()}{v1:std}:meta`)).toEqual({ buckets: "16384", partitions: "1" });
    expect(await admin.keys(`${prefix()}{v1:std}:b*`)).toEqual([`${prefix()}{v1:std}:b16384:${bucket}`]);
  });

  it("reopens with the same count, and refuses another count naming --redis-buckets", async () => {
    const first = await open({ buckets: 1024 });
    await first.setMany([{ key: key(1), level: 5 }]);
    const again = await open({ buckets: 1024 });
    expect(await again.getMany([key(1)])).toEqual([5]);
    await expect(open({ buckets: 2048 })).rejects.toThrow(
      '--redis-buckets 2048 does not match namespace "v1:std" in this Redis, which keeps its pairs in 1024 buckets',
    );
    await expect(open({ buckets: 2048 })).rejects.toBeInstanceOf(LayoutMismatchError);
    // The default (262,144 for 20M expected pairs) is another count too.
    await expect(open()).rejects.toThrow("--redis-buckets 262144 does not match");
    expect(await admin.hgetall(`${prefix()}{v1:std}:meta`)).toEqual({ buckets: "1024", partitions: "1" });
  });

  it("keeps namespaces apart: another namespace records its own count", async () => {
    await open({ buckets: 1024 });
    await open({ buckets: 4096, namespace: "v2:std" });
    expect(await admin.hget(`${prefix()}{v2:std}:meta`, "buckets")).toBe("4096");
  });

  it("adopts 262,144 for a namespace written before the meta key, refusing any other count", async () => {
    // What an earlier version left behind: bucket hashes of the fixed count, no meta key.
    const legacy = admin.pipeline();
    for (let i = 0; i < 20_000; i++) {
      const k = key(i);
      legacy.hset(`${prefix()}{v1:std}:b262144:${k.readUInt32BE(0) % 262_144}`, k.subarray(4, 12), "2");
    }
    await legacy.exec();
    await expect(open({ buckets: 4096 })).rejects.toThrow(
      '--redis-buckets 4096 does not match namespace "v1:std" in this Redis, which keeps its pairs in 262144 buckets',
    );
    const store = await open();
    expect(await store.getMany([key(0), key(19_999)])).toEqual([2, 2]);
    expect(await admin.hget(`${prefix()}{v1:std}:meta`, "buckets")).toBe("262144");
  });

  it("warns when the expected fullest bucket exceeds hash-max-listpack-entries, not otherwise", async () => {
    await open({ expectedPairs: 30_000_000, buckets: 262_144 });
    const warnings = logged.filter((l) => l.level === WARN).map((l) => l.msg);
    expect(warnings).toEqual([
      "at 30000000 pairs the fullest of 262144 buckets holds ~168 fields, above hash-max-listpack-entries 128: " +
        "those buckets leave listpack encoding and cost several times the memory; raise hash-max-listpack-entries " +
        "on the server, or use more buckets in a new namespace",
    ]);
    logged.length = 0;
    await admin.config("SET", "hash-max-listpack-entries", "256");
    await open({ expectedPairs: 30_000_000, buckets: 262_144, namespace: "v3:std" });
    await open({ namespace: "v4:std" }); // 20M in 262,144 buckets: ~120 at most
    expect(logged.filter((l) => l.level === WARN)).toEqual([]);
  });

  it("starts when CONFIG is forbidden by an ACL, saying the density is not checked", async () => {
    await admin.call("ACL", "SETUSER", `noconfig${testId}`, "on", ">pw", "~*", "&*", "+@all", "-config");
    const url = redis.url.replace("redis://", `redis://noconfig${testId}:pw@`);
    const store = await open({ expectedPairs: 30_000_000, buckets: 262_144 }, url);
    await store.setMany([{ key: key(1), level: 4 }]);
    expect(await store.getMany([key(1)])).toEqual([4]);
    expect(logged.map((l) => l.msg)).toContain(
      "cannot read hash-max-listpack-entries (CONFIG not allowed?); bucket density not checked",
    );
    expect(logged.filter((l) => l.level === WARN)).toEqual([]);
  });

  it("checks on the first connection when Redis was down at start, and refuses to serve on a mismatch", async () => {
    await open({ buckets: 1024 }); // records 1024
    await admin.save(); // the restarted server loads dump.rdb from its data directory
    await redis.server.stop();
    try {
      const late = await open({ buckets: 2048, connectTimeoutMs: 200 });
      await redis.server.start();
      const deadline = Date.now() + 10_000;
      while (!logged.some((l) => l.msg.includes("bucket count mismatch")) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await expect(late.getMany([key(1)])).rejects.toThrow("--redis-buckets 2048 does not match");
      await expect(late.setMany([{ key: key(1), level: 1 }])).rejects.toThrow("--redis-buckets 2048");
    } finally {
      await redis.server.start().catch(() => undefined);
    }
  });
});
