import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInProcess } from "@seniority/testkit";
import { Command } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { createGenCommand } from "../src/gen/createGenCommand.js";

const root = mkdtempSync(join(tmpdir(), "seniority-gen-cli-"));
let outputs = 0;
/** A new empty output directory under this file's temp root. */
function tempDir(): string {
  const dir = join(root, `out-${outputs++}`);
  mkdirSync(dir);
  return dir;
}
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("seniority gen", () => {
  /** Runs `seniority gen <args>` in this process; its output and exit code. */
  const run = (args: string[]) =>
    runInProcess(new Command("seniority").addCommand(createGenCommand()), ["gen", ...args]);

  it("prints the summary with bad lines by kind", async () => {
    const dir = tempDir();
    const { out, code } = await run([
      "--output",
      dir,
      "--files",
      "2",
      "--lines",
      "1000",
      "--seed",
      "4",
      "--bad-lines",
      "0.2",
    ]);
    expect(code).toBe(0);
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toBe(`files: 2 (1721183940.jsonl … 1721184000.jsonl) in ${dir}`);
    expect(lines[1]).toMatch(
      /^lines: [\d,]+ \(good [\d,]+, bad [\d,]+: not_json \d+, truncated \d+, not_object \d+, missing_company \d+, title_not_string \d+, garbage \d+, invalid_utf8 \d+\)$/,
    );
    expect(lines[2]).toMatch(/^bytes: [\d,]+$/);
    expect(lines[3]).toMatch(
      /^distinct pairs: exact [\d,]+ \(\d+\.\d\d% of good lines\), standard [\d,]+ \(\d+\.\d\d%; the cache's default keys\), casefold [\d,]+ \(\d+\.\d\d%\)$/,
    );
    // Visible files only: the local store keeps hidden metadata sidecars beside them.
    expect(readdirSync(dir).filter((name) => !name.startsWith("."))).toEqual([
      "1721183940.jsonl",
      "1721184000.jsonl",
    ]);
  });

  it("prints JSON with --json and honours --start", async () => {
    const dir = tempDir();
    const { out } = await run([
      "--output",
      dir,
      "--files",
      "1",
      "--lines",
      "10",
      "--start",
      "1700000000",
      "--json",
    ]);
    const summary = JSON.parse(out) as { files: number; firstKey: string; badLines: number };
    expect([summary.files, summary.firstKey, summary.badLines]).toEqual([1, "1700000000.jsonl", 0]);
  });

  it("rejects a bad flag value with one line and exit code 2", async () => {
    const { err, code } = await run(["--bad-lines", "1.5"]);
    expect(code).toBe(2);
    expect(err).toBe(
      "error: option '--bad-lines <share>' argument '1.5' is invalid. expected a number in 0..1, got 1.5.\n",
    );
  });

  it("rejects a bad output location at parse time, naming the flag", async () => {
    const { err, code } = await run(["--output", "gs://x/y", "--files", "1"]);
    expect(code).toBe(2);
    expect(err).toBe(
      "error: option '--output <location>' argument 'gs://x/y' is invalid. " +
        'unsupported object store location "gs://x/y" (accepted: s3://bucket/prefix/, file:///abs/dir, or a local directory path)\n',
    );
  });

  it("fails with one line and exit code 1 when the output cannot be written", async () => {
    const { out, err, code } = await run([
      "--output",
      "s3://rl-data/x/",
      "--s3-endpoint",
      "http://127.0.0.1:1",
      "--s3-max-attempts",
      "1",
      "--files",
      "1",
      "--lines",
      "5",
    ]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toMatch(/^gen: .+\n$/);
  });
});
