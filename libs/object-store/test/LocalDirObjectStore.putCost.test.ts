import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as fsPromises from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LocalDirObjectStore } from "../src/LocalDirObjectStore.js";

// Counts the directory reads the store makes (a spy over the real fs; nothing is faked).
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs/promises")>();
  return { ...real, readdir: vi.fn(real.readdir), opendir: vi.fn(real.opendir) };
});

/** Directory reads of `dir` since the last clear. */
function readsOf(dir: string): number {
  const calls = [...vi.mocked(fsPromises.readdir).mock.calls, ...vi.mocked(fsPromises.opendir).mock.calls];
  return calls.filter(([path]) => String(path) === dir).length;
}

describe("LocalDirObjectStore put cost", () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("never reads the output directory itself: a put reads only its folder of writes in progress", async () => {
    root = mkdtempSync(join(tmpdir(), "seniority-putcost-"));
    const reads: Record<string, number[]> = {};
    for (const existing of [10, 2_000]) {
      const dir = join(root, `dir-${existing}`);
      const store = new LocalDirObjectStore(dir);
      await store.put("0.jsonl", Readable.from([Buffer.from("x\n")]), {}); // creates the directory
      for (let i = 1; i < existing; i++) writeFileSync(join(dir, `${i}.jsonl`), "x\n");
      const fresh = new LocalDirObjectStore(dir); // a new run over a directory of `existing` files
      vi.mocked(fsPromises.readdir).mockClear();
      vi.mocked(fsPromises.opendir).mockClear();
      const perPut: number[] = [];
      for (let i = 0; i < 20; i++) {
        const before = readsOf(dir);
        await fresh.put(`new-${i}.jsonl`, Readable.from([Buffer.from(`${i}\n`)]), { "source-etag": "e" });
        perPut.push(readsOf(dir) - before);
      }
      reads[`${existing} files: reads of the directory`] = perPut;
      reads[`${existing} files: reads of its temp folder`] = [readsOf(join(dir, ".seniority-tmp"))];
      await fresh.close();
      await store.close();
    }
    const none = Array<number>(20).fill(0);
    expect(reads).toEqual({
      "10 files: reads of the directory": none,
      "10 files: reads of its temp folder": [20], // one per put, of a folder of ≤ the puts in flight
      "2000 files: reads of the directory": none,
      "2000 files: reads of its temp folder": [20],
    });
  });
});
