import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { mkdir, readdir, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { LocalDirObjectStore } from "../src/LocalDirObjectStore.js";
import { describeObjectStoreContract, readAll } from "./objectStoreContract.js";

/**
 * Temp files anywhere below `dir`, as the keys they were writing
 * ("x/.seniority-tmp/.a.jsonl.<uuid>.tmp" → "x/a.jsonl").
 */
async function tempFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".tmp"))
    .map((entry) =>
      join(
        relative(dir, entry.parentPath).replace(/(^|\/)\.seniority-tmp$/, ""),
        entry.name.replace(/^\.\.?(.*?)(\.meta\.json)?\.[0-9a-f-]{36}\.tmp$/, "$1"),
      ),
    )
    .sort();
}

describeObjectStoreContract("LocalDirObjectStore", async () => {
  const dir = mkdtempSync(join(tmpdir(), "seniority-os-"));
  const store = new LocalDirObjectStore(join(dir, "store"));
  return {
    store,
    incompleteWrites: () => tempFiles(join(dir, "store")),
    leaveIncompleteWrite: async (key) => {
      const temps = join(dir, "store", dirname(key), ".seniority-tmp");
      await mkdir(temps, { recursive: true });
      await writeFile(join(temps, `.${key.split("/").pop()}.${randomUUID()}.tmp`), "partial");
    },
    close: async () => {
      await store.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe("LocalDirObjectStore specifics", () => {
  function withDir(): { dir: string; store: LocalDirObjectStore; done: () => void } {
    const dir = mkdtempSync(join(tmpdir(), "seniority-os-"));
    return {
      dir,
      store: new LocalDirObjectStore(dir),
      done: () => rmSync(dir, { recursive: true, force: true }),
    };
  }

  it("lists in S3's byte order across sub-directories, skipping whole subtrees before startAfter", async () => {
    const { store, done } = withDir();
    for (const key of ["b.jsonl", "a/x.jsonl", "a.jsonl", "a0", "a-b", "c/d/e.jsonl", "a/y/z"]) {
      await store.put(key, Readable.from([Buffer.from(key)]), {});
    }
    const keys = async (startAfter?: string): Promise<string[]> => {
      const out: string[] = [];
      for await (const item of store.list(startAfter === undefined ? {} : { startAfter })) out.push(item.key);
      return out;
    };
    expect(await keys()).toEqual(["a-b", "a.jsonl", "a/x.jsonl", "a/y/z", "a0", "b.jsonl", "c/d/e.jsonl"]);
    expect(await keys("a.jsonl")).toEqual(["a/x.jsonl", "a/y/z", "a0", "b.jsonl", "c/d/e.jsonl"]);
    expect(await keys("a/x")).toEqual(["a/x.jsonl", "a/y/z", "a0", "b.jsonl", "c/d/e.jsonl"]);
    expect(await keys("a/y/z")).toEqual(["a0", "b.jsonl", "c/d/e.jsonl"]);
    expect(await keys("b")).toEqual(["b.jsonl", "c/d/e.jsonl"]);
    done();
  });

  it("lists files written by others without reading them (no etag), hides dot-files; head gives the md5", async () => {
    const { dir, store, done } = withDir();
    await writeFile(join(dir, "1721183934.jsonl"), "abc");
    await writeFile(join(dir, ".DS_Store"), "junk");
    await mkdir(join(dir, ".cache"));
    await writeFile(join(dir, ".cache", "x"), "junk");
    const listed = async () => {
      const items = [];
      for await (const item of store.list()) items.push(item);
      return items;
    };
    expect(await listed()).toStrictEqual([{ key: "1721183934.jsonl", size: 3 }]);
    expect(await store.head("1721183934.jsonl")).toEqual({
      key: "1721183934.jsonl",
      size: 3,
      etag: "900150983cd24fb0d6963f7d28e17f72",
      metadata: {},
    });
    // Hashed once, the etag is known to the listing too (cached by path, size and mtime).
    expect(await listed()).toStrictEqual([
      { key: "1721183934.jsonl", size: 3, etag: "900150983cd24fb0d6963f7d28e17f72" },
    ]);
    done();
  });

  it("a put removes the stale data and sidecar temps of its own key only", async () => {
    const { dir, store, done } = withDir();
    const temps = join(dir, ".seniority-tmp");
    await mkdir(temps, { recursive: true });
    const stale = [
      `.a.jsonl.${randomUUID()}.tmp`,
      `..a.jsonl.meta.json.${randomUUID()}.tmp`,
      `.b.jsonl.${randomUUID()}.tmp`,
    ];
    for (const name of stale) await writeFile(join(temps, name), "partial");
    await store.put("a.jsonl", Readable.from([Buffer.from("a\n")]), { v: "1" });
    expect(await tempFiles(dir)).toEqual(["b.jsonl"]);
    expect((await readdir(dir)).sort()).toEqual([".a.jsonl.meta.json", ".seniority-tmp", "a.jsonl"]);
    done();
  });

  it("drops metadata once the bytes beside it change (the sidecar names the etag it describes)", async () => {
    const { dir, store, done } = withDir();
    await store.put("a.jsonl", Readable.from([Buffer.from("one\n")]), { "source-etag": "e1" });
    expect((await store.head("a.jsonl"))?.metadata).toEqual({ "source-etag": "e1" });
    await writeFile(join(dir, "a.jsonl"), "two\n");
    await utimes(join(dir, "a.jsonl"), new Date(1_000_000), new Date(1_000_000));
    const head = await store.head("a.jsonl");
    expect(head).toEqual({ key: "a.jsonl", size: 4, etag: "c193497a1a06b2c72230e6146ff47080", metadata: {} });
    done();
  });

  it("keeps a sidecar only for objects with metadata", async () => {
    const { dir, store, done } = withDir();
    const files = async () => (await readdir(dir)).filter((name) => name !== ".seniority-tmp").sort();
    await store.put("a.jsonl", Readable.from([Buffer.from("a\n")]), {});
    expect(await files()).toEqual(["a.jsonl"]);
    await store.put("a.jsonl", Readable.from([Buffer.from("a\n")]), { "source-etag": "e1" });
    expect(await files()).toEqual([".a.jsonl.meta.json", "a.jsonl"]);
    await store.put("a.jsonl", Readable.from([Buffer.from("b\n")]), {});
    expect(await files()).toEqual(["a.jsonl"]);
    expect((await store.head("a.jsonl"))?.metadata).toEqual({});
    done();
  });

  it("an empty or missing directory lists nothing; get streams the file", async () => {
    const { dir, store, done } = withDir();
    const missing = new LocalDirObjectStore(join(dir, "not-there"));
    const listed = [];
    for await (const item of missing.list()) listed.push(item);
    expect(listed).toEqual([]);
    await store.put("x/y.jsonl", Readable.from(["text ", "chunks\n"]), {});
    expect((await readAll(await store.get("x/y.jsonl"))).toString()).toBe("text chunks\n");
    done();
  });
});
