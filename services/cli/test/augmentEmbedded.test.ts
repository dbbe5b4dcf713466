import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { levelForTitle, ModelSim } from "@seniority/model-sim";
import { LocalDirObjectStore } from "@seniority/object-store";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execSeniority, type SeniorityRun } from "../../../test/support/execSeniority.js";

/** Runs the real `seniority` binary (built dist) in `cwd`, logging warnings and worse. */
const seniority = (args: readonly string[], cwd: string): Promise<SeniorityRun> =>
  execSeniority(args, { ...process.env, SENIORITY_LOG_LEVEL: "warn" }, cwd);

const TITLES = [
  "Accounting Intern",
  "Junior Software QA Engineer",
  "Senior Tax Accountant",
  "Account Manager",
  "Head of Legal",
  "CFO",
];
const KEYS = ["1721183940.jsonl", "1721184000.jsonl"];

/** `seniority augment` without --proxy: the cache in process on LMDB, the model given or simulated. */
describe("seniority augment, embedded (the real binary)", () => {
  let root: string;
  const good = new Map<string, string[]>();
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "augment-embedded-"));
    mkdirSync(join(root, "raw"));
    for (const [f, key] of KEYS.entries()) {
      const lines = TITLES.flatMap((title, i) => [
        JSON.stringify({
          url: `https://jobs.example/${f}/${i}`,
          company: `Company ${i % 2}`,
          title,
          location: "Remote",
          scraped_on: 1721183880 + i,
        }),
        ...(i === 2 ? ["not json"] : []),
      ]);
      good.set(
        key,
        lines.filter((line) => line.startsWith("{")),
      );
      writeFileSync(join(root, "raw", key), lines.join("\n") + "\n");
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const augment = (name: string, extra: string[]): Promise<SeniorityRun> =>
    seniority(
      [
        "augment",
        "--once",
        "--input",
        join(root, "raw"),
        "--output",
        join(root, name, "mod"),
        "--errors",
        join(root, name, "errors"),
        ...extra,
      ],
      root,
    );

  const expectLevels = (name: string): void => {
    for (const key of KEYS) {
      const expected = good
        .get(key)!
        .map(
          (line) =>
            `${line.slice(0, -1)},"seniority":${levelForTitle((JSON.parse(line) as { title: string }).title)}}\n`,
        );
      expect(readFileSync(join(root, name, "mod", key), "utf8")).toBe(expected.join(""));
      expect(
        readFileSync(join(root, name, "errors", key), "utf8")
          .trim()
          .split("\n"),
      ).toHaveLength(1);
    }
  };

  it("without --proxy and --model: exit 2 naming both flags, creating nothing", async () => {
    const cwd = mkdtempSync(join(root, "cwd-"));
    const run = await seniority(
      ["augment", "--once", "--input", join(root, "raw"), "--output", join(cwd, "mod")],
      cwd,
    );
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "error: give --proxy <host:port> (the caching proxy) or --model <host:port> (the model, with the cache in this process); --model sim simulates levels\n",
    });
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("a missing input folder: exit 2 naming it, creating nothing (no LMDB files, no output)", async () => {
    const cwd = mkdtempSync(join(root, "cwd-"));
    const missing = join(root, "no-such-dir");
    const run = await seniority(
      ["augment", "--once", "--input", missing, "--output", join(cwd, "mod"), "--model", "sim"],
      cwd,
    );
    expect(run).toEqual({ code: 2, stdout: "", stderr: `error: input folder does not exist: ${missing}\n` });
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("--model sim: starts model-sim in process, says so in one line, writes correct levels", async () => {
    const run = await augment("shared", ["--model", "sim", "--store", `lmdb:${join(root, "cache")}`]);
    expect(run.code).toBe(0);
    const logs = run.stderr
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      level: 40,
      msg: expect.stringMatching(
        /^model-sim started in-process at 127\.0\.0\.1:\d+ \(1000 items\/s\); levels are simulated$/,
      ),
    });
    expect(JSON.parse(run.stdout)).toMatchObject({
      files: { done: 2, failed: 0 },
      lines: { in: 14, out: 12, bad: 2 },
    });
    expectLevels("shared");
    const output = new LocalDirObjectStore(join(root, "shared", "mod"));
    expect((await output.head(KEYS[0]!))!.metadata).toMatchObject({ "cache-namespace": "v1:std:sim:k2" });
  });

  it("then a real --model on the same store and output: asks the model every pair and redoes the simulated files", async () => {
    const model = await ModelSim.start({ capacity: 1_000_000, logger: pino({ level: "silent" }) });
    try {
      const real = await augment("shared", [
        "--model",
        model.address,
        "--store",
        `lmdb:${join(root, "cache")}`,
      ]);
      expect(real).toMatchObject({ code: 0, stderr: "" });
      expect(JSON.parse(real.stdout)).toMatchObject({ files: { done: 2, skipped: 0, failed: 0 } });
      expect(model.stats()).toMatchObject({ items: TITLES.length, duplicateInferences: 0 });
      expectLevels("shared");
      const output = new LocalDirObjectStore(join(root, "shared", "mod"));
      expect((await output.head(KEYS[0]!))!.metadata).toMatchObject({ "cache-namespace": "v1:std:m:k2" });

      // Now the outputs are the real model's: done, and its answers are in the store.
      const again = await augment("shared", [
        "--model",
        model.address,
        "--store",
        `lmdb:${join(root, "cache")}`,
      ]);
      expect(again).toMatchObject({ code: 0, stderr: "" });
      // Done by the checkpoint (same namespace): not even looked at.
      expect(JSON.parse(again.stdout)).toMatchObject({ files: { done: 0, skipped: 0, failed: 0 } });
      const fresh = await augment("fresh", [
        "--model",
        model.address,
        "--store",
        `lmdb:${join(root, "cache")}`,
      ]);
      expect(fresh).toMatchObject({ code: 0, stderr: "" });
      expect(model.stats().items).toBe(TITLES.length);
      expectLevels("fresh");
    } finally {
      await model.close();
    }
  });
});
