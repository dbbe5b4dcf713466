import { LocalDirObjectStore, openObjectStore } from "@seniority/object-store";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Server, S3RVER_CREDENTIALS } from "@seniority/testkit";
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
