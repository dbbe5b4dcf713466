import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pairKey } from "@seniority/pair-key";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_LMDB_PATH, LmdbStore } from "../src/stores/LmdbStore.js";
import { openStore } from "../src/stores/openStore.js";

const dir = mkdtempSync(join(tmpdir(), "seniority-lmdb-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = (i: number): Buffer => pairKey(`Company ${i}`, "Engineer", "standard");

describe("LmdbStore", () => {
  it("persists across close and reopen, per namespace", async () => {
    const path = join(dir, "nested", "cache");
    const { store: first } = await openStore(`lmdb:${path}`, { namespace: "v1:std" });
    await first.setMany([
      { key: key(1), level: 2 },
      { key: key(2), level: 7 },
    ]);
    await first.close();
    expect(existsSync(join(path, "data.mdb"))).toBe(true);

    const { store: again } = await openStore(`lmdb:${path}`, { namespace: "v1:std" });
    const { store: other } = await openStore(`lmdb:${path}`, { namespace: "v2:std" });
    expect(await again.getMany([key(2), key(1), key(3)])).toEqual([7, 2, undefined]);
    expect(await other.getMany([key(1)])).toEqual([undefined]);
    await other.close();
    await again.close();
  });

  it("keeps a whole setMany in one transaction: visible together once it resolves", async () => {
    const store = LmdbStore.open(join(dir, "txn"), { namespace: "v1:std" });
    const keys = Array.from({ length: 5000 }, (_, i) => key(i));
    await store.setMany(keys.map((k) => ({ key: k, level: 1 })));
    expect(new Set(await store.getMany(keys))).toEqual(new Set([1]));
    await store.close();
  });

  it("documents its default path", () => {
    expect(DEFAULT_LMDB_PATH).toBe("./.seniority/cache");
  });
});
