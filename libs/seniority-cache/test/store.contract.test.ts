import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pairKey } from "@seniority/pair-key";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { useRedis } from "@seniority/testkit";
import { openStore } from "../src/stores/openStore.js";
import type { OpenedStore } from "../src/stores/OpenedStore.js";
import type { Store } from "../src/stores/Store.js";

// One contract, every backend. Each test gets its own key prefix / LMDB directory.
const redis = useRedis();
let dir: string;
let testId = 0;
const opened: Store[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "seniority-store-"));
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  testId++;
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const backends: { name: string; open: (namespace: string) => Promise<OpenedStore> }[] = [
  { name: "memory", open: (namespace) => openStore("memory", { namespace }) },
  { name: "lmdb", open: (namespace) => openStore(`lmdb:${join(dir, `t${testId}`)}`, { namespace }) },
  {
    name: "redis-compact",
    open: (namespace) => openStore(redis.url, { namespace, keyPrefix: `t${testId}:`, buckets: 64 }),
  },
  {
    name: "redis-keys",
    open: (namespace) => openStore(redis.url, { namespace, keyPrefix: `t${testId}:`, layout: "keys" }),
  },
  {
    name: "redis-keys-ttl",
    open: (namespace) =>
      openStore(redis.url, { namespace, keyPrefix: `t${testId}:`, layout: "keys", ttlSeconds: 3600 }),
  },
];

const key = (i: number): Buffer => pairKey(`Company ${i}`, "Engineer", "standard");

describe.each(backends)("store contract: $name", (backend) => {
  async function open(namespace = "v1:std"): Promise<Store> {
    const { store } = await backend.open(namespace);
    opened.push(store);
    return store;
  }

  it("answers undefined for unknown keys and [] for no keys", async () => {
    const store = await open();
    expect(await store.getMany([key(1), key(2)])).toEqual([undefined, undefined]);
    expect(await store.getMany([])).toEqual([]);
    expect(store.kind).toBe(backend.name.replace("-ttl", ""));
  });

  it("round-trips levels in request order, duplicates answered each time", async () => {
    const store = await open();
    await store.setMany([
      { key: key(1), level: 3 },
      { key: key(2), level: 7 },
      { key: key(3), level: 1 },
      { key: key(3), level: 2 }, // same key twice in one call: the last wins
    ]);
    expect(await store.getMany([key(2), key(1), key(9), key(2), key(3)])).toEqual([7, 3, undefined, 7, 2]);
  });

  it("deletes, counting keys that were present (each once)", async () => {
    const store = await open();
    await store.setMany([
      { key: key(1), level: 4 },
      { key: key(2), level: 5 },
    ]);
    expect(await store.deleteMany([key(1), key(3), key(1)])).toBe(1);
    expect(await store.getMany([key(1), key(2)])).toEqual([undefined, 5]);
    expect(await store.deleteMany([])).toBe(0);
  });

  it("rejects a bad level and writes nothing from that call", async () => {
    const store = await open();
    for (const level of [0, 8, 2.5, Number.NaN]) {
      await expect(
        store.setMany([
          { key: key(1), level: 3 },
          { key: key(2), level },
        ]),
      ).rejects.toThrow(`level must be an integer in 1..7, got ${level}`);
    }
    expect(await store.getMany([key(1), key(2)])).toEqual([undefined, undefined]);
  });

  it("keeps namespaces apart", async () => {
    const a = await open("v1:std");
    const b = await open("v2:std");
    await a.setMany([{ key: key(1), level: 6 }]);
    expect(await b.getMany([key(1)])).toEqual([undefined]);
    expect(await a.getMany([key(1)])).toEqual([6]);
  });

  it("handles 10,000 keys in one call", async () => {
    const store = await open();
    const keys = Array.from({ length: 10_000 }, (_, i) => key(i));
    const levels = keys.map((_, i) => (i % 7) + 1);
    await store.setMany(keys.map((k, i) => ({ key: k, level: levels[i]! })));
    expect(await store.getMany(keys)).toEqual(levels);
    expect(await store.deleteMany(keys)).toBe(10_000);
    expect((await store.getMany(keys)).every((v) => v === undefined)).toBe(true);
  });

  it("closes idempotently and refuses use after close", async () => {
    const store = await open();
    await store.setMany([{ key: key(1), level: 2 }]);
    await store.close();
    await store.close();
    await expect(store.getMany([key(1)])).rejects.toThrow("store is closed");
    await expect(store.setMany([{ key: key(1), level: 2 }])).rejects.toThrow("store is closed");
    await expect(store.deleteMany([key(1)])).rejects.toThrow("store is closed");
  });
});
