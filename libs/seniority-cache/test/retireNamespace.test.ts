import type { Clock } from "@seniority/clock";
import { cacheNamespace, pairKey } from "@seniority/pair-key";
import { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useRedis, waitFor } from "@seniority/testkit";
import { SeniorityCache } from "../src/core/SeniorityCache.js";
import { NamespaceLiveError } from "../src/stores/NamespaceLiveError.js";
import { openStore, type OpenStoreOptions } from "../src/stores/openStore.js";
import { RedisKeys } from "../src/stores/RedisKeys.js";
import { retireNamespace, type RetireProgress } from "../src/stores/retireNamespace.js";
import { RecordingModel } from "./support/RecordingModel.js";

const OLD = cacheNamespace("v1", "standard", "model");
const NEW = cacheNamespace("v2", "standard", "model");
const PREFIX = "retire:";

const redis = useRedis();
let admin: Redis;
beforeAll(() => {
  admin = redis.client();
});
beforeEach(async () => {
  await admin.flushall();
});

/** Writes `count` pairs into a namespace (keys layout: names end in raw, often non-UTF-8, bytes). */
async function fill(
  namespace: string,
  count: number,
  options: Partial<OpenStoreOptions> = {},
): Promise<void> {
  const { store } = await openStore(redis.url, { namespace, keyPrefix: PREFIX, ...options });
  const entries = Array.from({ length: count }, (_, i) => ({
    key: pairKey(`Company ${i}`, "Engineer", "standard"),
    level: (i % 7) + 1,
  }));
  await store.setMany(entries);
  await store.close();
}

/** Keys of a namespace in Redis now. */
async function keysOf(namespace: string): Promise<number> {
  let count = 0;
  let cursor = "0";
  const pattern = new RedisKeys(PREFIX, namespace).namespacePattern();
  do {
    const [next, found] = await admin.scanBuffer(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next.toString();
    count += found.length;
  } while (cursor !== "0");
  return count;
}

/** A clock whose sleeps return at once and are recorded (ms each). */
function recordingClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => 0, sleep: async (ms) => void slept.push(ms) };
}

describe("retireNamespace", () => {
  it("removes every key of the namespace in both layouts, in bounded batches, and nothing else", async () => {
    await fill(OLD, 3000, { layout: "keys" });
    await fill(OLD, 3000, { buckets: 64 }); // compact: 64 buckets + the meta hash
    await fill(NEW, 500, { layout: "keys" });
    expect(await keysOf(OLD)).toBe(3000 + 64 + 1);
    const clock = recordingClock();
    const reports: RetireProgress[] = [];
    const result = await retireNamespace(admin, {
      namespace: OLD,
      keyPrefix: PREFIX,
      batchSize: 100,
      pauseMs: 5,
      clock,
      onProgress: (p) => reports.push(p),
    });
    expect(result).toEqual({
      cursor: "0",
      batches: reports.length,
      matched: 3065,
      unlinked: 3065,
      done: true,
    });
    expect(reports.length).toBeGreaterThan(10);
    expect(reports.filter((r) => r.done)).toEqual([result]);
    expect(clock.slept).toEqual(new Array<number>(reports.length - 1).fill(5));
    expect(await keysOf(OLD)).toBe(0);
    expect(await keysOf(NEW)).toBe(500 + 1); // + the meta hash (partition count), in either layout
    expect(await admin.dbsize()).toBe(500 + 1);
  });

  it("dry run counts without removing", async () => {
    await fill(OLD, 1200, { layout: "keys" });
    const result = await retireNamespace(admin, { namespace: OLD, keyPrefix: PREFIX, dryRun: true });
    expect(result).toMatchObject({ cursor: "0", matched: 1200 + 1, unlinked: 0, done: true });
    expect(await keysOf(OLD)).toBe(1200 + 1);
  });

  it("stops on abort and resumes from the last reported cursor", async () => {
    await fill(OLD, 4000, { layout: "keys" });
    const stop = new AbortController();
    let last: RetireProgress | undefined;
    const first = retireNamespace(admin, {
      namespace: OLD,
      keyPrefix: PREFIX,
      batchSize: 200,
      clock: recordingClock(),
      signal: stop.signal,
      onProgress: (p) => {
        last = p;
        if (p.batches === 3) stop.abort();
      },
    });
    await expect(first).rejects.toThrow(/aborted/);
    expect(last).toMatchObject({ batches: 3, done: false });
    expect(last!.cursor).not.toBe("0");
    const left = await keysOf(OLD);
    expect(left).toBe(4000 + 1 - last!.unlinked);
    const resumed = await retireNamespace(admin, { namespace: OLD, keyPrefix: PREFIX, cursor: last!.cursor });
    expect(resumed).toMatchObject({ done: true, unlinked: left });
    expect(await keysOf(OLD)).toBe(0);
  });

  it("refuses a namespace a replica heartbeats in, naming --force; force retires it", async () => {
    await fill(OLD, 100, { layout: "keys" });
    const cache = new SeniorityCache({
      ...(await openStore(redis.url, { namespace: OLD, keyPrefix: PREFIX, layout: "keys" })), // store, coordination
      model: new RecordingModel(),
      l1Entries: 100,
    });
    try {
      await cache.infer([{ company: "Acme", title: "CEO" }]);
      const replicas = new RedisKeys(PREFIX, OLD).replicasKey();
      await waitFor(async () => (await admin.zcard(replicas)) === 1, "the replica's first heartbeat");
      await expect(retireNamespace(admin, { namespace: OLD, keyPrefix: PREFIX })).rejects.toThrow(
        new NamespaceLiveError(
          `namespace "${OLD}" is live: 1 replica(s) heartbeat in it within 10000 ms; ` +
            "stop them first, or retire it anyway with --force",
        ),
      );
      expect(await keysOf(OLD)).toBeGreaterThan(100);
      const forced = await retireNamespace(admin, { namespace: OLD, keyPrefix: PREFIX, force: true });
      expect(forced.unlinked).toBeGreaterThan(100);
    } finally {
      await cache.close();
    }
    expect(await retireNamespace(admin, { namespace: NEW, keyPrefix: PREFIX })).toMatchObject({ matched: 0 });
  });

  it("rejects bad settings before touching Redis", async () => {
    await fill(OLD, 10, { layout: "keys" });
    const base = { namespace: OLD, keyPrefix: PREFIX };
    await expect(retireNamespace(admin, { ...base, batchSize: 0 })).rejects.toThrow(
      "batchSize must be an integer >= 1, got 0",
    );
    await expect(retireNamespace(admin, { ...base, pauseMs: -1 })).rejects.toThrow(
      "pauseMs must be an integer >= 0, got -1",
    );
    await expect(retireNamespace(admin, { ...base, cursor: "x1" })).rejects.toThrow(
      'cursor must be a SCAN cursor (digits), got "x1"',
    );
    await expect(retireNamespace(admin, { ...base, namespace: "v1}" })).rejects.toThrow(
      'namespace must not contain "{" or "}": "v1}"',
    );
    expect(await keysOf(OLD)).toBe(10 + 1); // + the meta hash
  });
});
