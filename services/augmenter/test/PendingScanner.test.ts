import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { LocalDirObjectStore } from "@seniority/object-store";
import { afterEach, describe, expect, it, vi } from "vitest";
import { keyTimestamp } from "../src/keyTimestamp.js";
import { PendingScanner } from "../src/PendingScanner.js";

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

    const first = await scanner.scan();
    expect(first.pending.map((o) => o.key)).toEqual(["2.jsonl", "3.jsonl"]);
    expect(first.newlyDone).toEqual(["1.jsonl"]);
    expect(scanner.lastDoneKey).toBe("1.jsonl");
    expect(heads.mock.calls.map((c) => c[0])).toEqual(["1.jsonl", "2.jsonl", "3.jsonl"]);

    heads.mockClear();
    scanner.markDone("3.jsonl"); // processed by the caller; 2.jsonl failed
    const second = await scanner.scan();
    expect(second).toEqual({ pending: [expect.objectContaining({ key: "2.jsonl" })], newlyDone: [] });
    expect(scanner.lastDoneKey).toBe("1.jsonl"); // a failed file holds the watermark back
    expect(heads.mock.calls.map((c) => c[0])).toEqual(["2.jsonl"]);

    heads.mockClear();
    await markDoneInStore("2.jsonl");
    const third = await scanner.scan();
    expect(third).toEqual({ pending: [], newlyDone: ["2.jsonl"] });
    expect(scanner.lastDoneKey).toBe("4.txt");
    expect(heads.mock.calls.map((c) => c[0])).toEqual(["2.jsonl"]);

    heads.mockClear();
    writeFileSync(join(root, "raw", "5.jsonl"), "new");
    expect((await scanner.scan()).pending.map((o) => o.key)).toEqual(["5.jsonl"]);
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
    expect((await scanner.scan()).pending.map((o) => o.key)).toEqual(["2.jsonl"]);
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
