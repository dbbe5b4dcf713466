import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pairKey } from "@seniority/pair-key";
import { useRedis } from "@seniority/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/stores/openStore.js";
import type { OpenedStore } from "../src/stores/OpenedStore.js";
import type { Store } from "../src/stores/Store.js";
import { canScan, type StoreScan } from "../src/stores/StoreScan.js";

// StoreScan on every backend, real ones (redis-server, LMDB): each test its own prefix / directory.
const redis = useRedis();
let dir: string;
let testId = 0;
const opened: Store[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "seniority-scan-"));
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  testId++;
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const key = (i: number): Buffer => pairKey(`Company ${i}`, "Engineer", "standard");
/** What a scan yields for a pair key: all of it, or the compact layout's field (bytes 4..12). */
const whole = (k: Buffer): string => k.toString("hex");
const field = (k: Buffer): string => k.subarray(4, 12).toString("hex");

const backends: {
  name: string;
  yields: (k: Buffer) => string;
  open: (ns: string) => Promise<OpenedStore>;
}[] = [
  { name: "memory", yields: whole, open: (namespace) => openStore("memory", { namespace }) },
  {
    name: "lmdb",
    yields: whole,
    open: (namespace) => openStore(`lmdb:${join(dir, `t${testId}`)}`, { namespace }),
  },
  {
    name: "redis-compact",
    yields: field,
    open: (namespace) => openStore(redis.url, { namespace, keyPrefix: `t${testId}:`, buckets: 64 }),
  },
  {
    name: "redis-keys",
    yields: whole,
    open: (namespace) => openStore(redis.url, { namespace, keyPrefix: `t${testId}:`, layout: "keys" }),
  },
];

async function scanAll(store: StoreScan, batchSize: number): Promise<Buffer[][]> {
  const batches: Buffer[][] = [];
  for await (const batch of store.scanKeys(batchSize)) batches.push(batch);
  return batches;
}

describe.each(backends)("StoreScan: $name", (backend) => {
  async function open(namespace = "v1:std"): Promise<Store & StoreScan> {
    const { store } = await backend.open(namespace);
    opened.push(store);
    if (!canScan(store)) throw new Error(`${store.kind} cannot scan`);
    return store;
  }

  it("yields nothing for an empty namespace", async () => {
    expect(await scanAll(await open(), 10)).toEqual([]);
  });

  it("yields every key (once, but Redis SCAN may repeat one), in batches of 1..batchSize", async () => {
    const store = await open();
    const keys = Array.from({ length: 2500 }, (_, i) => key(i));
    await store.setMany(keys.map((k, i) => ({ key: k, level: (i % 7) + 1 })));
    const batches = await scanAll(store, 300);
    expect(batches.every((batch) => batch.length >= 1 && batch.length <= 300)).toBe(true);
    const seen = batches.flat().map((k) => k.toString("hex"));
    if (!store.kind.startsWith("redis")) expect(seen).toHaveLength(2500);
    expect(new Set(seen)).toEqual(new Set(keys.map(backend.yields)));
  });

  it("keeps namespaces apart and skips deleted keys", async () => {
    const a = await open("v1:std");
    const b = await open("v2:std");
    await a.setMany([1, 2, 3].map((i) => ({ key: key(i), level: 2 })));
    await b.setMany([{ key: key(9), level: 5 }]);
    await a.deleteMany([key(2)]);
    const seen = (await scanAll(a, 2)).flat().map((k) => k.toString("hex"));
    expect(seen.sort()).toEqual([key(1), key(3)].map(backend.yields).sort());
    expect((await scanAll(b, 2)).flat().map((k) => k.toString("hex"))).toEqual([backend.yields(key(9))]);
  });

  it("stops when the loop breaks, and refuses a bad batch size", async () => {
    const store = await open();
    await store.setMany(Array.from({ length: 50 }, (_, i) => ({ key: key(i), level: 1 })));
    let batches = 0;
    for await (const batch of store.scanKeys(10)) {
      expect(batch.length).toBeLessThanOrEqual(10);
      if (++batches === 2) break;
    }
    expect(batches).toBe(2);
    await expect(scanAll(store, 0)).rejects.toThrow("batchSize must be a positive integer, got 0");
  });
});
