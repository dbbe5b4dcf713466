import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelSim } from "@seniority/model-sim";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AugmentProcess } from "../support/AugmentProcess.js";

/** More pending files than `Math.min(...stamps)` could take as arguments (it overflowed at ~130K). */
const BACKLOG = 150_000;
const FIRST = 1_700_000_000;
const LINE = '{"company":"Acme","title":"CFO"}\n';

describe("augment --once over a backlog of 150,000 pending files (a real augmenter process)", () => {
  let root: string;
  let sim: ModelSim;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "augmenter-backlog-"));
    mkdirSync(join(root, "raw"));
    // Minute files, timestamp-named, written with a tight synchronous loop (a few seconds).
    for (let i = 0; i < BACKLOG; i++) writeFileSync(join(root, "raw", `${FIRST + 60 * i}.jsonl`), LINE);
    sim = await ModelSim.start({ capacity: 1_000_000 });
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("starts processing the oldest files at once, and exits 0 when stopped", async () => {
    const run = AugmentProcess.start([
      "--once",
      ...["--input", join(root, "raw"), "--output", join(root, "mod"), "--errors", join(root, "errors")],
      ...["--model", sim.address, "--store", "memory", "--progress", "false"],
    ]);
    const outputs = (): string[] => {
      try {
        return readdirSync(join(root, "mod")).filter((name) => name.endsWith(".jsonl"));
      } catch {
        return [];
      }
    };
    try {
      await vi.waitFor(
        async () => {
          if (run.child.exitCode !== null) throw new Error(`exited early: ${(await run.exit).stderr}`);
          expect(outputs().length).toBeGreaterThan(0);
        },
        { timeout: 90_000, interval: 50 },
      );
    } finally {
      run.child.kill("SIGTERM"); // --once drains the files in progress, then exits
    }
    const exit = await run.exit;
    expect(exit.stderr).not.toContain("RangeError");
    expect(exit.code).toBe(0);
    const summary = AugmentProcess.summaryOf(exit);
    expect(summary.files.failed).toBe(0);
    expect(summary.files.done).toBeGreaterThan(0);
    expect(summary.files.done).toBeLessThan(BACKLOG);
    // Oldest first: the first output is the first file, augmented.
    expect(readFileSync(join(root, "mod", `${FIRST}.jsonl`), "utf8")).toMatch(
      /^\{"company":"Acme","title":"CFO","seniority":[1-7]\}\n$/,
    );
  }, 120_000);
});
