import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A, B, Cf, expectedOutput, FILES, P3 } from "./rareHelpers.js";

/** The queue's markers (dot-entries are the local store's temp folder). */
const markers = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => !name.startsWith("."))
    .sort();
const BIN = fileURLToPath(new URL("../../cli/bin/seniority.js", import.meta.url));

/** `seniority augment <args>` in a child process: exit code and the summary line. */
function augment(
  args: string[],
): Promise<{ code: number | null; summary: Record<string, unknown>; stderr: string }> {
  const child = spawn(process.execPath, [BIN, "augment", ...args], {
    env: { ...process.env, SENIORITY_LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.once("exit", (code) =>
      resolve({
        code,
        stderr,
        summary: JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as Record<string, unknown>,
      }),
    ),
  );
}

describe("seniority augment --rare-pairs defer, then --backfill-pending (embedded, model-sim)", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "augmenter-rare-cli-"));
    mkdirSync(join(root, "raw"));
    for (const [key, lines] of Object.entries(FILES))
      writeFileSync(join(root, "raw", key), lines.join("\n") + "\n");
    mkdirSync(join(root, "warm"));
    writeFileSync(join(root, "warm", "1721180000.jsonl"), FILES[Cf]![1] + "\n"); // P4's line
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const store = () => ["--model", "sim", "--store", `lmdb:${join(root, "cache")}`];
  const locations = () => ["--input", join(root, "raw"), "--output", join(root, "mod"), ...store()];

  it("defers first sightings, never a pair the in-process cache holds; the backfill leaves every level", async () => {
    // P4 inferred and stored (LMDB) by an earlier run, with the policy off.
    const warm = ["--once", "--input", join(root, "warm"), "--output", join(root, "warm-mod"), ...store()];
    expect((await augment(warm)).code).toBe(0);
    const deferred = await augment([
      "--once",
      ...locations(),
      "--concurrency",
      "1",
      "--rare-pairs",
      "defer",
      "--rare-window",
      "100files",
    ]);
    expect(deferred.code).toBe(0);
    expect(deferred.summary["rarePairs"]).toEqual({
      deferredPairs: 4,
      pendingLines: 8,
      queuedFiles: 2,
      backfill: {
        files: { done: 0, failed: 0, skipped: 0, aborted: 0 },
        lines: 0,
        pairsRequested: 0,
        failedFiles: [],
      },
    });
    expect(readFileSync(join(root, "mod", B), "utf8")).toBe(expectedOutput(B, [P3]));
    // Cf: C from the local cache, P4 from the cache's lookup: nothing deferred, nothing queued.
    expect(readFileSync(join(root, "mod", Cf), "utf8")).toBe(expectedOutput(Cf));
    expect(markers(join(root, "mod", "_rare-pending"))).toEqual([A, B].map((key) => `${key}.json`));

    const backfill = await augment(["--backfill-pending", ...locations(), "--concurrency", "1"]);
    expect(backfill.code).toBe(0);
    expect(backfill.summary["files"]).toEqual({ done: 0, failed: 0, skipped: 0, aborted: 0 });
    expect(backfill.summary["rarePairs"]).toEqual({
      deferredPairs: 0,
      pendingLines: 0,
      queuedFiles: 0,
      // A new process: its local cache is empty, so A's three pairs and B's P3 are asked (of the cache).
      backfill: {
        files: { done: 2, failed: 0, skipped: 0, aborted: 0 },
        lines: 10,
        pairsRequested: 4,
        failedFiles: [],
      },
    });
    for (const key of [A, B, Cf])
      expect(readFileSync(join(root, "mod", key), "utf8")).toBe(expectedOutput(key));
    expect(markers(join(root, "mod", "_rare-pending"))).toEqual([]);
  });

  it("a backfill that fails exits 1 naming the file, which stays queued", async () => {
    // Queued, but its input is gone (deleted after it was deferred).
    const marker = join(root, "mod", "_rare-pending", "1721189999.jsonl.json");
    writeFileSync(marker, JSON.stringify({ version: 1, key: "1721189999.jsonl", position: 0, pairs: [] }));
    const failed = await augment(["--backfill-pending", ...locations()]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      "augment: the backfill of 1 file(s) failed (still queued): 1721189999.jsonl\n",
    );
    expect(markers(join(root, "mod", "_rare-pending"))).toEqual(["1721189999.jsonl.json"]);
  });
});
