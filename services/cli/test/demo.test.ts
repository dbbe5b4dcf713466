import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { levelForTitle } from "@seniority/model-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommanderError } from "commander";
import { pino } from "pino";
import { createDemoCommand } from "../src/demo/createDemoCommand.js";
import type { DemoReport } from "../src/demo/DemoReport.js";
import { runDemo, type DemoOptions } from "../src/demo/runDemo.js";
import { execSeniority, type SeniorityRun } from "../../../test/support/execSeniority.js";

/** Runs the real `seniority` binary (built dist) in `cwd`, at the demo's own default log level. */
function seniority(args: readonly string[], cwd: string): Promise<SeniorityRun> {
  const env = { ...process.env };
  delete env["SENIORITY_LOG_LEVEL"];
  return execSeniority(args, env, cwd);
}

/** Lines of every `*.jsonl` file in `dir` (dot-files, i.e. sidecars, are not objects). */
function jsonlLines(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".jsonl") && !name.startsWith("."))
    .sort()
    .flatMap((name) => readFileSync(join(dir, name), "utf8").split("\n").slice(0, -1));
}

describe("seniority demo (the real binary, tiny sample)", () => {
  let root: string;
  let dir: string;
  let cache: string;
  let args: string[];
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "demo-cli-"));
    dir = join(root, "demo");
    cache = join(root, "cache");
    args = ["demo", "--files", "2", "--lines", "500", "--dir", dir, "--store", `lmdb:${cache}`, "--json"];
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  let first: DemoReport;
  let firstOutput: string[];

  it("generates a sample, augments it at the model's real capacity, and reports what the folder holds", async () => {
    const run = await seniority(args, root);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    first = JSON.parse(run.stdout) as DemoReport;
    const out = jsonlLines(join(dir, "mod"));
    const errors = jsonlLines(join(dir, "errors"));
    firstOutput = out;

    expect(first.folders).toEqual({
      root: dir,
      raw: join(dir, "raw"),
      mod: join(dir, "mod"),
      errors: join(dir, "errors"),
    });
    expect(first.store).toBe(`lmdb:${cache}`);
    expect(readdirSync(join(dir, "mod")).filter((name) => name.endsWith(".jsonl"))).toHaveLength(2);
    expect(first.augment).toMatchObject({
      files: 2,
      failedFiles: [],
      linesOut: out.length,
      linesBad: errors.length,
    });
    expect(first.augment.linesIn).toBe(out.length + errors.length);
    expect(first.sample).toMatchObject({
      reused: false,
      files: 2,
      lines: first.augment.linesIn,
      badLines: errors.length,
    });
    expect(errors.length).toBeGreaterThan(0);
    expect(first.sampleLine).toBe(out[0]);
    for (const line of out) {
      const posting = JSON.parse(line) as { title: string; seniority: number };
      expect(posting.seniority).toBe(levelForTitle(posting.title));
    }

    // Every distinct (normalized) pair inferred once, in batches, at the default 1000 items/s.
    expect(first.model.capacity).toBe(1000);
    expect(first.model.inferences).toBeGreaterThan(100);
    expect(first.model.inferences).toBeLessThanOrEqual(first.sample.distinctPairs);
    expect(first.model.duplicateInferences).toBe(0);
    expect(first.model.meanBatchSize).toBeCloseTo(first.model.inferences / first.model.batches, 9);
    expect(first.cache.lookups - first.cache.l1Hits - first.cache.storeHits).toBeGreaterThanOrEqual(
      first.model.inferences,
    );
    expect(first.cache.storeHits).toBe(0);
    expect(first.augment.linesPerSecond).toBeCloseTo(first.augment.linesIn / first.augment.seconds, 6);
    expect(first.peakRssBytes).toBeGreaterThan(20 * 1024 * 1024);
    expect(existsSync(join(cache, "data.mdb"))).toBe(true);
  });

  it("prints a readable report; a second run reports 0 model inferences", async () => {
    const run = await seniority(
      args.filter((arg) => arg !== "--json"),
      root,
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(
      `Seniority demo: the augmenter on embedded defaults (cache in-process on lmdb:${cache}, model-sim at 1,000 items/s)`,
    );
    expect(lines.slice(1, 6)).toEqual([
      "  files           2 (sample reused from the last run)",
      `  lines           ${n(first.augment.linesIn)} in, ${n(first.augment.linesOut)} augmented, ${n(first.augment.linesBad)} bad`,
      `  distinct pairs  ${n(first.sample.distinctPairs)} (company, title) pairs in the sample`,
      "  model           0 inferences in 0 batches (mean batch 0.0)",
      expect.stringMatching(
        /^ {2}cache {11}hit ratio 100\.0% \((\d+) of \1 pair lookups: \d+ L1, [\d,]+ store\)$/,
      ),
    ]);
    expect(lines.slice(6, 10)).toEqual([
      expect.stringMatching(/^ {2}time {12}\d+\.\d s wall, [\d,]+ lines\/s$/),
      expect.stringMatching(/^ {2}peak memory {5}[\d,]+ MB RSS$/),
      // Paths below the working directory are shown relative to it.
      "  output          ./demo/mod/ (bad lines: ./demo/errors/)",
      `  sample line     ${firstOutput[0]}`,
    ]);
    expect(lines.slice(10)).toEqual([
      "Every answer came from the cache: 0 model inferences. --fresh starts over.",
    ]);
    expect(run.stderr.split("\n")).toEqual([
      "demo: preparing the sample",
      `demo: reusing the sample in ${join(dir, "raw")} (2 files, ${n(first.sample.lines)} lines)`,
      `demo: augmenting 2 files: embedded cache on lmdb:${cache}, model-sim at 1000 items/s`,
      "",
    ]);
  });

  const options = (more: Partial<DemoOptions> = {}): DemoOptions => ({
    dir,
    store: `lmdb:${cache}`,
    files: 2,
    lines: 500,
    seed: 1,
    badLineShare: 0.01,
    capacity: 1_000_000,
    fresh: false,
    logger: pino({ level: "silent" }),
    ...more,
  });

  it("runs again (in process): sample reused, output redone byte for byte, the model asked nothing", async () => {
    const again = await runDemo(options());
    expect(again.sample).toEqual({ ...first.sample, reused: true, seconds: 0 });
    expect(again.model).toMatchObject({ inferences: 0, batches: 0, meanBatchSize: 0, capacity: 1_000_000 });
    expect(again.cache.hitRatio).toBe(1);
    expect(again.cache.storeHits).toBeGreaterThanOrEqual(first.model.inferences);
    expect(again.augment).toMatchObject({
      files: 2,
      linesIn: first.augment.linesIn,
      linesOut: first.augment.linesOut,
    });
    expect(jsonlLines(join(dir, "mod"))).toEqual(firstOutput);
  });

  it("--fresh deletes the demo folder and the cache and starts over", async () => {
    writeFileSync(join(dir, "raw", "notes.txt"), "from an earlier run\n");
    const fresh = await runDemo(options({ fresh: true }));
    expect(fresh.sample).toEqual({ ...first.sample, reused: false, seconds: fresh.sample.seconds });
    expect(fresh.model.inferences).toBe(first.model.inferences);
    expect(fresh.cache.storeHits).toBe(0);
    expect(existsSync(join(dir, "raw", "notes.txt"))).toBe(false);
    expect(jsonlLines(join(dir, "mod"))).toEqual(firstOutput);
  });

  it("regenerates the sample when its settings change", async () => {
    const other = await runDemo(options({ lines: 300 }));
    expect(other.sample.reused).toBe(false);
    expect(other.augment.linesIn).toBe(other.sample.lines);
    expect(other.sample.lines).toBeLessThan(first.sample.lines);
    expect(jsonlLines(join(dir, "raw"))).toHaveLength(other.sample.lines);
  });

  /** The demo command in process: commander errors are thrown (exitOverride) with their output captured. */
  async function parse(argv: string[]): Promise<{ code: number; stderr: string }> {
    let stderr = "";
    const command = createDemoCommand()
      .exitOverride()
      .configureOutput({ writeErr: (text) => void (stderr += text), writeOut: () => {} });
    try {
      await command.parseAsync(argv, { from: "user" });
      return { code: 0, stderr };
    } catch (error) {
      return { code: (error as CommanderError).exitCode, stderr };
    }
  }

  it("refuses a --dir that is not a demo folder, touching nothing", async () => {
    const other = join(root, "someone-else");
    mkdirSync(other);
    writeFileSync(join(other, "precious.txt"), "keep me");
    expect(await parse(["--dir", other, "--store", "memory", "--fresh"])).toEqual({
      code: 2,
      stderr: `error: --dir ${other} is not empty and has no demo.json, so it is not a demo folder: give a new or empty folder\n`,
    });
    expect(readdirSync(other)).toEqual(["precious.txt"]);
  });

  it.each([
    [
      ["--store", "redis://localhost:6379"],
      `error: option '--store <spec>' argument 'redis://localhost:6379' is invalid. expected memory or lmdb:<path>, got "redis://localhost:6379".\n`,
    ],
    [
      ["--files", "0"],
      `error: option '--files <n>' argument '0' is invalid. expected an integer in 1..10000, got 0.\n`,
    ],
    [
      ["--capacity", "fast"],
      `error: option '--capacity <n>' argument 'fast' is invalid. expected an integer, got "fast".\n`,
    ],
    [
      ["--fresh", "maybe"],
      `error: option '--fresh [bool]' argument 'maybe' is invalid. expected true or false, got "maybe".\n`,
    ],
  ])("a bad flag (%j) is one line and exit code 2", async (flags, stderr) => {
    const { code, stderr: written } = await parse(["--dir", join(root, "unused"), ...flags]);
    // Commander's own code is 1; runProgram (cli-options) turns every such error into 2.
    expect({ code, written }).toEqual({ code: 1, written: stderr });
    expect(existsSync(join(root, "unused"))).toBe(false);
  });
});

const n = (value: number): string => value.toLocaleString("en-US");
