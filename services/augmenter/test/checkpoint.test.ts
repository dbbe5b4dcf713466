import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalDirObjectStore } from "@seniority/object-store";
import type { SeniorityPair, SeniorityResolver } from "@seniority/seniority-model";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CHECKPOINT_KEY } from "../src/run/OutputCheckpoint.js";
import { runAugmenter } from "../src/run/runAugmenter.js";
import type { RunAugmenterOptions } from "../src/run/RunAugmenterOptions.js";

const KEYS = ["1.jsonl", "2.jsonl", "3.jsonl", "4.jsonl", "5.jsonl"];

/**
 * In-process resolver (the model's answers are not the point here): level = title length % 7 + 1;
 * while `failing` is set, a batch holding that company rejects (a file that fails, on purpose).
 */
function resolver(): SeniorityResolver & { failing: string | undefined; pairs: number } {
  const r = {
    failing: undefined as string | undefined,
    pairs: 0,
    resolve: (pairs: readonly SeniorityPair[]) => {
      if (pairs.some((pair) => pair.company === r.failing)) return Promise.reject(new Error("model down"));
      r.pairs += pairs.length;
      return Promise.resolve(pairs.map((pair) => (pair.title.length % 7) + 1));
    },
    close: () => Promise.resolve(),
  };
  return r;
}

describe("the checkpoint (_checkpoint.json beside the outputs)", () => {
  let root: string;
  let levels: ReturnType<typeof resolver>;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "augmenter-checkpoint-"));
    mkdirSync(join(root, "raw"));
    for (const [i, key] of KEYS.entries())
      writeFileSync(
        join(root, "raw", key),
        `{"company":"C${i + 1}","title":"Engineer ${"I".repeat(i)}"}\n{"company":"Acme","title":"CFO"}\n`,
      );
    levels = resolver();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const run = (options: Partial<RunAugmenterOptions> = {}) =>
    runAugmenter({
      input: new LocalDirObjectStore(join(root, "raw")),
      output: new LocalDirObjectStore(join(root, "mod")),
      errors: new LocalDirObjectStore(join(root, "errors")),
      resolver: levels,
      mode: "once",
      concurrency: 2,
      localCacheEntries: 0,
      ...options,
    });
  const checkpoint = () =>
    JSON.parse(readFileSync(join(root, "mod", CHECKPOINT_KEY), "utf8")) as Record<string, unknown>;
  const output = (key: string) => readFileSync(join(root, "mod", key), "utf8");

  it("is held behind a failed file, which the next run retries; a run after all is done looks at nothing", async () => {
    levels.failing = "C3";
    const first = await run();
    expect(first).toMatchObject({ files: { done: 4, failed: 1, skipped: 0 }, failedFiles: ["3.jsonl"] });
    expect(checkpoint()).toMatchObject({
      version: 1,
      after: "2.jsonl",
      namespace: "",
      input: join(root, "raw"),
    });

    levels.failing = undefined;
    const second = await run();
    // 3 retried; 4 and 5 after it are verified (found done), not redone.
    expect(second).toMatchObject({ files: { done: 1, failed: 0, skipped: 2 }, failedFiles: [] });
    expect(checkpoint()).toMatchObject({ after: "5.jsonl" });
    expect(output("3.jsonl")).toBe(
      '{"company":"C3","title":"Engineer II","seniority":5}\n{"company":"Acme","title":"CFO","seniority":4}\n',
    );

    const pairsBefore = levels.pairs;
    expect((await run()).files).toEqual({ done: 0, failed: 0, skipped: 0, aborted: 0 });
    expect(levels.pairs).toBe(pairsBefore);
  });

  it("--rescan ignores it: a deleted output is found and redone, byte-identical", async () => {
    await run();
    const before = output("2.jsonl");
    rmSync(join(root, "mod", "2.jsonl"));
    expect((await run()).files).toEqual({ done: 0, failed: 0, skipped: 0, aborted: 0 }); // trusts it
    expect((await run({ rescan: true })).files).toEqual({ done: 1, failed: 0, skipped: 4, aborted: 0 });
    expect(output("2.jsonl")).toBe(before);
    expect(checkpoint()).toMatchObject({ after: "5.jsonl" });
  });

  it("is ignored when written for another namespace or input, or unreadable: a full scan follows", async () => {
    await run({ namespace: "v1:std" });
    expect(checkpoint()).toMatchObject({ after: "5.jsonl", namespace: "v1:std" });
    expect((await run({ namespace: "v1:std" })).files.skipped).toBe(0);
    // Another namespace: a full scan, and its outputs (made with the other levels) are redone.
    expect((await run({ namespace: "v2:std" })).files).toMatchObject({ done: 5, skipped: 0 });
    expect(checkpoint()).toMatchObject({ after: "5.jsonl", namespace: "v2:std" });

    const written = checkpoint();
    writeFileSync(join(root, "mod", CHECKPOINT_KEY), JSON.stringify({ ...written, input: "/elsewhere" }));
    expect((await run({ namespace: "v2:std" })).files.skipped).toBe(5);
    writeFileSync(join(root, "mod", CHECKPOINT_KEY), '{"version":1,"aft');
    expect((await run({ namespace: "v2:std" })).files.skipped).toBe(5);
    expect(checkpoint()).toMatchObject({ after: "5.jsonl", namespace: "v2:std", input: join(root, "raw") });
  });

  it("is not written past a --start-after it does not cover (that would claim skipped files done)", async () => {
    expect((await run({ startAfter: "3.jsonl" })).files.done).toBe(2);
    expect(existsSync(join(root, "mod", CHECKPOINT_KEY))).toBe(false);
    expect((await run()).files).toMatchObject({ done: 3, skipped: 2 });
    expect(checkpoint()).toMatchObject({ after: "5.jsonl" });
    // A --start-after the checkpoint covers: it resumes after the checkpoint, and keeps writing it.
    expect((await run({ startAfter: "1.jsonl" })).files).toMatchObject({ done: 0, skipped: 0 });
    expect(checkpoint()).toMatchObject({ after: "5.jsonl" });
  });
});
