import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalDirObjectStore } from "@seniority/object-store";
import { levelForTitle } from "@seniority/model-sim";
import type { SeniorityPair, SeniorityResolver } from "@seniority/seniority-model";
import { afterEach, describe, expect, it } from "vitest";
import { runAugmenter } from "../src/run/runAugmenter.js";
import type { RunAugmenterOptions } from "../src/run/RunAugmenterOptions.js";
import { jsonlFixture } from "./jsonlFixture.js";

/** A resolver answering like model-sim after `delayMs`, honouring abort. */
function slowResolver(delayMs: number): SeniorityResolver & { calls: number } {
  const resolver = {
    calls: 0,
    resolve: (pairs: readonly SeniorityPair[], options: { signal?: AbortSignal } = {}) => {
      resolver.calls++;
      return new Promise<number[]>((resolve, reject) => {
        const timer = setTimeout(() => resolve(pairs.map((p) => levelForTitle(p.title))), delayMs);
        options.signal?.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(options.signal?.reason);
        });
      });
    },
    close: async () => {},
  };
  return resolver;
}

describe("runAugmenter on stop (SIGTERM in the CLI)", () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  function setup(): Pick<RunAugmenterOptions, "input" | "output" | "errors"> {
    root = mkdtempSync(join(tmpdir(), "augmenter-stop-"));
    mkdirSync(join(root, "raw"));
    writeFileSync(join(root, "raw", "1.jsonl"), jsonlFixture(1, 200, 0).bytes);
    writeFileSync(join(root, "raw", "2.jsonl"), jsonlFixture(2, 200, 0).bytes);
    return {
      input: new LocalDirObjectStore(join(root, "raw")),
      output: new LocalDirObjectStore(join(root, "mod")),
      errors: new LocalDirObjectStore(join(root, "err")),
    };
  }
  const outputs = () => {
    try {
      return readdirSync(join(root, "mod")).filter((name) => name.endsWith(".jsonl")); // not the checkpoint
    } catch {
      return [];
    }
  };

  it("takes no new file and finishes the current one within the grace period", async () => {
    const stop = new AbortController();
    const summary = await runAugmenter({
      ...setup(),
      resolver: slowResolver(30),
      mode: "once",
      concurrency: 1,
      chunkLines: 50,
      localCacheEntries: 0,
      signal: stop.signal,
      graceMs: 10_000,
      onProgress: ({ lines }) => lines > 0 && stop.abort(),
    });
    expect(summary).toMatchObject({ files: { done: 1, failed: 0, aborted: 0 }, lines: { in: 200 } });
    expect(outputs()).toEqual(["1.jsonl"]);
  });

  it("aborts the current file when the grace period ends, leaving nothing; a rerun completes it", async () => {
    const stores = setup();
    const stop = new AbortController();
    const summary = await runAugmenter({
      ...stores,
      resolver: slowResolver(200),
      mode: "once",
      concurrency: 1,
      chunkLines: 50,
      localCacheEntries: 0,
      signal: stop.signal,
      graceMs: 0,
      onProgress: ({ lines }) => lines > 0 && stop.abort(),
    });
    expect(summary).toMatchObject({ files: { done: 0, failed: 0, aborted: 1 }, failedFiles: [] });
    expect(outputs()).toEqual([]);
    // No temp file either (the folder appears only with a first put, which an aborted file never reaches).
    const mod = join(root, "mod");
    expect(existsSync(mod) ? readdirSync(mod) : []).toEqual([]);

    const rerun = await runAugmenter({ ...stores, resolver: slowResolver(0), mode: "once" });
    expect(rerun).toMatchObject({ files: { done: 2, aborted: 0 } });
    expect(outputs()).toEqual(["1.jsonl", "2.jsonl"]);
  });
});
