import { runProgram } from "@seniority/cli-options";
import { LocalDirObjectStore, openObjectStore } from "@seniority/object-store";
import { Command } from "commander";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { S3Server, S3RVER_CREDENTIALS } from "@seniority/testkit";
import { createGenCommand } from "../src/createGenCommand.js";
import { chunked, generate } from "../src/generate.js";
import { generatePostings } from "../src/generatePostings.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "seniority-gen-"));
  dirs.push(dir);
  return dir;
}
/** Visible files (the local store keeps hidden metadata sidecars beside them). */
function files(dir: string): string[] {
  return readdirSync(dir).filter((name) => !name.startsWith("."));
}

let s3: S3Server;
beforeAll(async () => {
  s3 = await S3Server.start(["rl-data"]);
});
afterAll(async () => {
  await s3?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("generate", () => {
  it("writes the stream's bytes as minute files and counts them", async () => {
    const dir = tempDir();
    const options = { seed: 9, files: 3, linesPerFile: 800, badLineShare: 0.05 };
    const summary = await generate({ ...options, output: dir });
    const expected: { key: string; bytes: Buffer }[] = [];
    for (const f of generatePostings(options))
      expected.push({ key: f.key, bytes: Buffer.concat([...chunked(f.lines())]) });
    expect(files(dir)).toEqual(expected.map((e) => e.key));
    for (const e of expected) expect(readFileSync(join(dir, e.key)).equals(e.bytes)).toBe(true);
    const totalBytes = expected.reduce((sum, e) => sum + e.bytes.length, 0);
    const totalLines = expected.reduce(
      (sum, e) => sum + e.bytes.toString("latin1").split("\n").length - 1,
      0,
    );
    expect(summary).toMatchObject({
      location: dir,
      files: 3,
      lines: totalLines,
      bytes: totalBytes,
      firstKey: "1721183940.jsonl",
      lastKey: "1721184060.jsonl",
    });
    expect(summary.goodLines + summary.badLines).toBe(totalLines);
    expect(summary.badLines).toBeGreaterThan(0);
    expect(Object.values(summary.badLinesByKind).reduce((a, b) => a + b, 0)).toBe(summary.badLines);
    expect(summary.distinctPairsStandard).toBeLessThanOrEqual(summary.distinctPairs);
    expect(summary.distinctPairsCasefold).toBeLessThanOrEqual(summary.distinctPairsStandard);
  });

  it("writes identical files twice with one seed", async () => {
    const [a, b] = [tempDir(), tempDir()];
    await generate({ seed: 5, files: 2, linesPerFile: 500, badLineShare: 0.1, output: a });
    await generate({ seed: 5, files: 2, linesPerFile: 500, badLineShare: 0.1, output: `file://${b}` });
    expect(files(b)).toEqual(files(a));
    for (const name of files(a))
      expect(readFileSync(join(b, name)).equals(readFileSync(join(a, name)))).toBe(true);
  });

  it("writes to s3://bucket/prefix/ through the object store", async () => {
    const dir = tempDir();
    const options = { seed: 3, files: 2, linesPerFile: 400, badLineShare: 0.05 };
    const s3Options = {
      endpoint: s3.endpoint,
      forcePathStyle: true,
      region: "us-east-1",
      credentials: S3RVER_CREDENTIALS,
    };
    const summary = await generate({ ...options, output: "s3://rl-data/job-postings-raw/", s3: s3Options });
    await generate({ ...options, output: dir });
    expect(summary.location).toBe("s3://rl-data/job-postings-raw/");
    const store = openObjectStore("s3://rl-data/job-postings-raw/", { s3: s3Options });
    const keys: string[] = [];
    for await (const item of store.list()) keys.push(item.key);
    expect(keys).toEqual(files(dir));
    for (const key of keys) {
      const chunks: Buffer[] = [];
      for await (const chunk of await store.get(key)) chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(readFileSync(join(dir, key)))).toBe(true);
    }
    await store.close();
  });

  it("takes an open store and leaves it open", async () => {
    const store = new LocalDirObjectStore(tempDir());
    const summary = await generate({ seed: 1, files: 1, linesPerFile: 10, output: store });
    expect(summary.files).toBe(1);
    expect(await store.head("1721183940.jsonl")).toBeDefined();
  });
});

describe("seniority gen", () => {
  async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
    const out: string[] = [];
    const err: string[] = [];
    const stdout = vi
      .spyOn(process.stdout, "write")
      .mockImplementation((chunk) => (out.push(String(chunk)), true));
    const stderr = vi
      .spyOn(process.stderr, "write")
      .mockImplementation((chunk) => (err.push(String(chunk)), true));
    process.exitCode = 0;
    try {
      await runProgram(new Command("seniority").addCommand(createGenCommand()), [
        "node",
        "seniority",
        "gen",
        ...args,
      ]);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    const code = Number(process.exitCode ?? 0);
    process.exitCode = 0;
    return { out: out.join(""), err: err.join(""), code };
  }

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
    expect(files(dir)).toEqual(["1721183940.jsonl", "1721184000.jsonl"]);
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
