import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pairKey } from "@seniority/pair-key";
import { useRedis } from "@seniority/testkit";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openStore, type OpenStoreOptions } from "../src/stores/openStore.js";
import type { Store, StoreEntry } from "../src/stores/Store.js";
import { isEntrySource, keyFormsMatch, type StoreEntrySource } from "../src/stores/StoreEntrySource.js";

const redis = useRedis();
const dir = mkdtempSync(join(tmpdir(), "seniority-entries-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
let prefixes = 0;

const key = (i: number): Buffer => pairKey(`Company ${i}`, `Title ${i}`, "standard");
const written = (n: number): StoreEntry[] =>
  Array.from({ length: n }, (_, i) => ({ key: key(i), level: (i % 7) + 1 }));

type Spec = [string, () => string, Partial<OpenStoreOptions>];
const SPECS: Spec[] = [
  ["memory", () => "memory", {}],
  ["lmdb", () => `lmdb:${join(dir, `db${prefixes}`)}`, {}],
  ["redis compact", () => redis.url, { buckets: 64 }],
  ["redis keys", () => redis.url, { layout: "keys" }],
];

async function open(spec: string, options: Partial<OpenStoreOptions>): Promise<Store & StoreEntrySource> {
  const { store } = await openStore(spec, {
    namespace: "v1:std:m:k2",
    keyPrefix: `e${prefixes}:`,
    ...options,
  });
  opened.push(store);
  if (!isEntrySource(store)) throw new Error(`${store.kind} lists no entries`);
  return store;
}

async function listAll(
  store: StoreEntrySource,
  batchSize: number,
): Promise<{ batches: number[]; all: StoreEntry[] }> {
  const batches: number[] = [];
  const all: StoreEntry[] = [];
  for await (const batch of store.entries({ batchSize })) {
    batches.push(batch.length);
    all.push(...batch);
  }
  return { batches, all };
}

describe("StoreEntrySource", () => {
  it.each(SPECS)("%s: lists every answer once, in bounded batches", async (_name, spec, options) => {
    prefixes++;
    const store = await open(spec(), options);
    await store.setMany(written(2500));
    await store.deleteMany([key(7)]);
    const { batches, all } = await listAll(store, 1000);
    expect(all.length).toBe(2499);
    // memory and LMDB cut exact batches; a SCAN step of ~13 buckets (or COUNT 1000 keys) is bounded too.
    if (options.buckets === undefined && options.layout === undefined) {
      expect(batches).toEqual([1000, 1000, 499]);
    } else expect(Math.max(...batches)).toBeLessThanOrEqual(options.buckets ? 1500 : 1000);
    if (store.keyForm.kind === "full") {
      const byKey = new Map(all.map((e) => [e.key.toString("hex"), e.level]));
      expect(byKey.size).toBe(2499);
      expect(byKey.has(key(7).toString("hex"))).toBe(false);
      for (const [i, e] of written(2500).entries())
        if (i !== 7) expect(byKey.get(e.key.toString("hex"))).toBe(e.level);
    }
  });

  it("lists nothing for an empty namespace", async () => {
    prefixes++;
    for (const [, spec, options] of SPECS)
      expect((await listAll(await open(spec(), options), 10)).all).toEqual([]);
  });

  it("redis compact: the stand-in keys refill a compact layout of the same bucket count exactly", async () => {
    prefixes++;
    const source = await open(redis.url, { buckets: 64 });
    expect(source.keyForm).toEqual({ kind: "compact", buckets: 64 });
    await source.setMany(written(500));
    const { all } = await listAll(source, 100);
    expect(all.length).toBe(500);
    prefixes++;
    const target = await open(redis.url, { buckets: 64 });
    await target.setMany(all);
    expect(await target.getMany(written(500).map((e) => e.key))).toEqual(written(500).map((e) => e.level));
    expect(keyFormsMatch(source.keyForm, target.keyForm)).toBe(true);
    expect(keyFormsMatch(source.keyForm, { kind: "compact", buckets: 128 })).toBe(false);
    expect(keyFormsMatch(source.keyForm, { kind: "full" })).toBe(false);
    expect(keyFormsMatch({ kind: "full" }, source.keyForm)).toBe(true);
  });

  it("redis keys: a key prefix with glob characters matches only its own keys", async () => {
    const a = await open(redis.url, { layout: "keys", keyPrefix: "g[1]*:" });
    const b = await open(redis.url, { layout: "keys", keyPrefix: "g11x:" });
    await a.setMany(written(3));
    await b.setMany(written(5));
    expect((await listAll(a, 10)).all.length).toBe(3);
    expect((await listAll(b, 10)).all.length).toBe(5);
  });
});
