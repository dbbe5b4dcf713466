import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pairKey } from "@seniority/pair-key";
import { openStore } from "@seniority/seniority-cache";
import { afterAll, describe, expect, it } from "vitest";
import { runTransfer } from "./support/runTransfer.js";

const dir = mkdtempSync(join(tmpdir(), "seniority-transfer-bad-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NS = "v1:std:m:k2";
const HEADER = `{"format":"seniority-answers","version":1,"namespace":"${NS}","keys":"full"}`;
const entry = (i: number, level: unknown): string =>
  JSON.stringify({ key: pairKey(`C${i}`, "T", "standard").toString("hex"), level });

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(""));
  return path;
}

async function stored(spec: string, n: number): Promise<(number | undefined)[]> {
  const { store } = await openStore(spec, { namespace: NS });
  try {
    return await store.getMany(Array.from({ length: n }, (_, i) => pairKey(`C${i}`, "T", "standard")));
  } finally {
    await store.close();
  }
}

describe("seniority import refuses bad files", () => {
  it.each([
    [
      "level 9",
      [HEADER, entry(0, 4), entry(1, 9), '{"end":true,"entries":2}'],
      "line 3: level 9 is not an integer in 1..7 (1 answer was written before it)",
      1,
    ],
    [
      "a level that is a string",
      [HEADER, entry(0, "4")],
      'line 2: level "4" is not an integer in 1..7 (0 answers were written before it)',
      0,
    ],
    [
      "a short key",
      [HEADER, '{"key":"abcd","level":2}'],
      'line 2: "key" must be 32 lower-case hex digits (0 answers were written before it)',
      0,
    ],
    [
      "no trailer (a cut file)",
      [HEADER, entry(0, 4), entry(1, 5)],
      "line 3: the file ends without its trailer (cut short?) (2 answers were written before it)",
      2,
    ],
    [
      "a trailer that counts otherwise",
      [HEADER, entry(0, 4), '{"end":true,"entries":5}'],
      "line 3: the trailer counts 5 answers, the file holds 1 (1 answer was written before it)",
      1,
    ],
    [
      "a line after the trailer",
      [HEADER, '{"end":true,"entries":0}', entry(0, 1)],
      "line 3: a line after the trailer (0 answers were written before it)",
      0,
    ],
    ["no header", [entry(0, 4)], "line 1: not a seniority-answers version 1 header", 0],
    ["an empty file", [], "line 1: an empty file, not an export (no header line)", 0],
  ])("%s", async (name, lines, message, written) => {
    const store = `lmdb:${join(dir, name.replaceAll(" ", "-"))}`;
    // batches of one: the answers before the bad line are written, and counted
    const result = await runTransfer([
      "import",
      "--store",
      store,
      "--batch",
      "1",
      "--file",
      file(`${name}.jsonl`, lines),
    ]);
    expect(result).toEqual({ out: "", err: `import: ${message}\n`, code: 1 });
    if (lines.length > 0 && lines[0] === HEADER) {
      expect((await stored(store, 2)).filter((l) => l !== undefined).length).toBe(written);
    }
  });
});

describe("seniority export / import flags", () => {
  const good = file("good.jsonl", [HEADER, '{"end":true,"entries":0}']);
  it.each([
    [["export", "--store", "memory"], "error: required option '--namespace <namespace>' not specified\n"],
    [["export", "--namespace", NS], "error: required option '--store <spec>' not specified\n"],
    [
      ["export", "--store", "memory", "--namespace", "v1"],
      "error: option '--namespace <namespace>' argument 'v1' is invalid. not a cache namespace: \"v1\" (expected <model version>:<ex|std|cf|cl<n>>:<m|sim>:k<n>, e.g. v1:std:m:k2).\n",
    ],
    [
      ["export", "--store", "lmdb:/nonexistent/seniority", "--namespace", NS],
      "error: --store lmdb:/nonexistent/seniority: no LMDB database at /nonexistent/seniority\n",
    ],
    [
      ["export", "--store", "mongodb://x", "--namespace", NS],
      `error: option '--store <spec>' argument 'mongodb://x' is invalid. expected memory, lmdb:<path>, redis://host:port, rediss://host:port or redis-cluster://host:port,…; got "mongodb://x".\n`,
    ],
    [
      ["import", "--store", "memory", "--batch", "0", "--file", good],
      "error: option '--batch <n>' argument '0' is invalid. expected an integer in 1..100000, got 0.\n",
    ],
    [
      ["import", "--store", "redis://127.0.0.1:1", "--ttl", "1h", "--file", good],
      "error: --ttl needs --redis-layout keys (compact hash fields cannot expire one by one)\n",
    ],
    [
      ["import", "--store", "memory", "--redis-layout", "flat", "--file", good],
      "error: option '--redis-layout <layout>' argument 'flat' is invalid. Allowed choices are compact, keys.\n",
    ],
  ])("%j", async (args, message) => {
    expect(await runTransfer(args)).toEqual({ out: "", err: message, code: 2 });
  });

  it("a missing --file is one line, exit 1", async () => {
    expect(await runTransfer(["import", "--store", "memory", "--file", join(dir, "missing.jsonl")])).toEqual({
      out: "",
      err: `import: --file ${join(dir, "missing.jsonl")}: cannot read (ENOENT)\n`,
      code: 1,
    });
  });

  it("an unreachable Redis is one line, exit 1", async () => {
    const result = await runTransfer(["export", "--store", "redis://127.0.0.1:1", "--namespace", NS]);
    expect(result).toEqual({
      out: "",
      err: "export: redis at --store is not reachable (waited 5000 ms)\n",
      code: 1,
    });
  });
});
