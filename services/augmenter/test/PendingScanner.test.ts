import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { LocalDirObjectStore } from "@seniority/object-store";
import { afterEach, describe, expect, it, vi } from "vitest";
import { keyTimestamp } from "../src/run/keyTimestamp.js";
import { PendingScanner, type ScanPage } from "../src/run/PendingScanner.js";

/** Every page of one scan, processing nothing: the pages' pending and newly done keys, joined. */
async function scanAll(scanner: PendingScanner): Promise<ScanPage> {
  const all: ScanPage = { pending: [], newlyDone: [] };
  for await (const page of scanner.scan()) {
    all.pending.push(...page.pending);
    all.newlyDone.push(...page.newlyDone);
  }
  return all;
}

describe("PendingScanner", () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("finds pending inputs, keeps a watermark behind the oldest pending one, and HEADs each done key once", async () => {
    root = mkdtempSync(join(tmpdir(), "augmenter-scan-"));
    mkdirSync(join(root, "raw"));
    for (const name of ["1.jsonl", "2.jsonl", "3.jsonl", "4.txt"])
      writeFileSync(join(root, "raw", name), name);
    const input = new LocalDirObjectStore(join(root, "raw"));
    const output = new LocalDirObjectStore(join(root, "mod"));
    const markDoneInStore = async (key: string, etag?: string) =>
      output.put(key, Readable.from(["x"]), { "source-etag": etag ?? (await input.head(key))!.etag });
    await markDoneInStore("1.jsonl");
    await markDoneInStore("2.jsonl", "stale");
    const heads = vi.spyOn(output, "head");
    const scanner = new PendingScanner(input, output);

    const first = await scanAll(scanner);
    expect(first.pending.map((o) => o.key)).toEqual(["2.jsonl", "3.jsonl"]);
    expect(first.newlyDone).toEqual(["1.jsonl"]);
    expect(scanner.lastDoneKey).toBe("1.jsonl");
    expect(heads.mock.calls.map((c) => c[0])).toEqual(["1.jsonl", "2.jsonl", "3.jsonl"]);

    heads.mockClear();
    scanner.markDone("3.jsonl"); // processed by the caller; 2.jsonl failed
    const second = await scanAll(scanner);
    expect(second).toEqual({ pending: [expect.objectContaining({ key: "2.jsonl" })], newlyDone: [] });
    expect(scanner.lastDoneKey).toBe("1.jsonl"); // a failed file holds the watermark back
    expect(heads.mock.calls.map((c) => c[0])).toEqual(["2.jsonl"]);

    heads.mockClear();
    await markDoneInStore("2.jsonl");
    const third = await scanAll(scanner);
    expect(third).toEqual({ pending: [], newlyDone: ["2.jsonl"] });
    expect(scanner.lastDoneKey).toBe("4.txt");
    expect(heads.mock.calls.map((c) => c[0])).toEqual(["2.jsonl"]);

    heads.mockClear();
    writeFileSync(join(root, "raw", "5.jsonl"), "new");
    expect((await scanAll(scanner)).pending.map((o) => o.key)).toEqual(["5.jsonl"]);
    expect(heads.mock.calls.map((c) => c[0])).toEqual(["5.jsonl"]);
  });

  it("starts after --start-after", async () => {
    root = mkdtempSync(join(tmpdir(), "augmenter-scan-"));
    mkdirSync(join(root, "raw"));
    for (const name of ["1.jsonl", "2.jsonl"]) writeFileSync(join(root, "raw", name), name);
    const scanner = new PendingScanner(
      new LocalDirObjectStore(join(root, "raw")),
      new LocalDirObjectStore(join(root, "mod")),
      { startAfter: "1.jsonl" },
    );
    expect((await scanAll(scanner)).pending.map((o) => o.key)).toEqual(["2.jsonl"]);
  });
});

describe("PendingScanner pages", () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("lists a page at a time, and moves the watermark as files finish in any order, not past a failed one", async () => {
    root = mkdtempSync(join(tmpdir(), "augmenter-scan-"));
    mkdirSync(join(root, "raw"));
    const names = ["1", "2", "3", "4", "5", "6", "7"].map((n) => `${n}.jsonl`);
    for (const name of names) writeFileSync(join(root, "raw", name), name);
    const input = new LocalDirObjectStore(join(root, "raw"));
    let pulled = 0;
    const counted = {
      ...input,
      location: input.location,
      head: input.head.bind(input),
      list: async function* (options?: { startAfter?: string }) {
        for await (const object of input.list(options)) {
          pulled++;
          yield object;
        }
      },
    } as unknown as LocalDirObjectStore;
    const watermarks: string[] = [];
    const scanner = new PendingScanner(counted, new LocalDirObjectStore(join(root, "mod")), {
      pageKeys: 3,
      checkpoint: { update: (key: string) => watermarks.push(key) } as never,
    });
    const pages: string[][] = [];
    const pulledAtPage: number[] = [];
    for await (const page of scanner.scan()) {
      pulledAtPage.push(pulled);
      const keys = page.pending.map((o) => o.key);
      pages.push(keys);
      // Finish in reverse order; "5.jsonl" fails (never marked done).
      for (const key of [...keys].reverse()) if (key !== "5.jsonl") scanner.markDone(key);
    }
    expect(pages).toEqual([
      ["1.jsonl", "2.jsonl", "3.jsonl"],
      ["4.jsonl", "5.jsonl", "6.jsonl"],
      ["7.jsonl"],
    ]);
    expect(pulledAtPage).toEqual([3, 6, 7]); // never more than a page ahead of the processing
    expect(watermarks).toEqual(["3.jsonl", "4.jsonl"]); // 3 → 1,2,3 done at once; 5 holds it at 4
    expect(scanner.lastDoneKey).toBe("4.jsonl");

    pulled = 0;
    const again = await scanAll(scanner);
    expect(again.pending.map((o) => o.key)).toEqual(["5.jsonl"]); // 6 and 7 remembered as done
    expect(pulled).toBe(3);
  });
});

describe("keyTimestamp", () => {
  it("reads unix-second names only", () => {
    expect(keyTimestamp("1721183934.jsonl")).toBe(1721183934);
    expect(keyTimestamp("2024/07/1721183934.jsonl")).toBe(1721183934);
    expect(keyTimestamp("postings-1721183934.jsonl")).toBeUndefined();
    expect(keyTimestamp("1721183934.json")).toBeUndefined();
  });
});
