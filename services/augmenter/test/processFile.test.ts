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
import { LocalDirObjectStore, type ObjectStore } from "@seniority/object-store";
import { ModelSim, levelForTitle } from "@seniority/model-sim";
import { SeniorityClient } from "@seniority/seniority-model";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PairLevelCache } from "../src/file/PairLevelCache.js";
import { ParsePool } from "../src/parse/ParsePool.js";
import { processFile, type ProcessFileOptions } from "../src/file/processFile.js";

describe("processFile (local directories, real model-sim)", () => {
  let sim: ModelSim;
  let client: SeniorityClient;
  let root: string;
  let stores: Pick<ProcessFileOptions, "input" | "output" | "errors">;
  beforeAll(async () => {
    sim = await ModelSim.start({ capacity: 1_000_000 });
    client = new SeniorityClient({ address: sim.address });
  });
  afterAll(async () => {
    await client?.close();
    await sim?.close();
  });
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "augmenter-pf-"));
    stores = {
      input: new LocalDirObjectStore(join(root, "raw")),
      output: new LocalDirObjectStore(join(root, "mod")),
      errors: new LocalDirObjectStore(join(root, "errors")),
    };
    return () => rmSync(root, { recursive: true, force: true });
  });

  const write = (key: string, content: string | Buffer): void =>
    writeFileSync(join(root, "raw", key), content, { flag: "w" });
  async function run(key: string, content: string | Buffer, options: Partial<ProcessFileOptions> = {}) {
    mkdirSync(join(root, "raw"), { recursive: true });
    write(key, content);
    const result = await processFile({ ...stores, key, resolver: client, ...options });
    const output = readFileSync(join(root, "mod", key), "utf8");
    const errors = readFileSync(join(root, "errors", key), "utf8");
    const records =
      errors === ""
        ? []
        : errors
            .trimEnd()
            .split("\n")
            .map((l) => JSON.parse(l) as Record<string, unknown>);
    const meta = (await stores.output.head(key))!.metadata;
    return { result, output, records, meta };
  }
  const line = (title: string, extra = ""): string =>
    `{"company":"Acme","title":${JSON.stringify(title)}${extra}}`;
  const out = (title: string, extra = ""): string =>
    `{"company":"Acme","title":${JSON.stringify(title)}${extra},"seniority":${levelForTitle(title)}}\n`;

  it("writes each good line with its level and each bad line to the errors object", async () => {
    const input =
      [line("CFO"), "not json", line("Junior Accountant"), "", '{"company":"Acme"}', "[1]", line("CFO")].join(
        "\n",
      ) + "\n";
    const { result, output, records, meta } = await run("1721183934.jsonl", input);
    expect(output).toBe(out("CFO") + out("Junior Accountant") + out("CFO"));
    expect(records).toEqual([
      { file: "1721183934.jsonl", line: 2, reason: "not JSON", raw: "not json" },
      { file: "1721183934.jsonl", line: 4, reason: "empty line", raw: "" },
      { file: "1721183934.jsonl", line: 5, reason: "title missing", raw: '{"company":"Acme"}' },
      { file: "1721183934.jsonl", line: 6, reason: "not a JSON object", raw: "[1]" },
    ]);
    expect(result).toMatchObject({
      outcome: "done",
      linesIn: 7,
      linesOut: 3,
      linesBad: 4,
      pairsRequested: 2,
      localCacheHits: 0,
    });
    expect(meta).toEqual({
      "source-etag": result.sourceEtag,
      "lines-in": "7",
      "lines-out": "3",
      "lines-bad": "4",
    });
  });

  it("handles an empty file", async () => {
    const { result, output, records, meta } = await run("empty.jsonl", "");
    expect([output, records]).toEqual(["", []]);
    expect(meta).toMatchObject({ "lines-in": "0", "lines-out": "0", "lines-bad": "0" });
    expect(result.pairsRequested).toBe(0);
  });

  it("handles one line without a newline, CRLF endings and a BOM (output is LF, BOM dropped)", async () => {
    expect((await run("one.jsonl", line("CEO"))).output).toBe(out("CEO"));
    expect((await run("crlf.jsonl", `${line("CEO")}\r\n${line("Intern")}\r\n`)).output).toBe(
      out("CEO") + out("Intern"),
    );
    expect((await run("bom.jsonl", `\ufeff${line("CEO")}\n`)).output).toBe(out("CEO"));
  });

  it("keeps unicode, escapes and spacing byte for byte", async () => {
    const text =
      '{ "company" : "Caf\\u00e9 \\"Zoë\\" 日本", "title":"Senior Data Engineer \\/ 🚀" , "n": 1.50e3 }';
    const { output } = await run("unicode.jsonl", text + "\n");
    expect(output).toBe(`${text.slice(0, -2)},"seniority":${levelForTitle("Senior Data Engineer / 🚀")} }\n`);
  });

  it("replaces an existing seniority instead of adding one", async () => {
    const { output } = await run(
      "has.jsonl",
      '{"seniority": 1, "company":"Acme","title":"CEO","meta":{"seniority":2}}\n',
    );
    expect(output).toBe('{"seniority": 7, "company":"Acme","title":"CEO","meta":{"seniority":2}}\n');
  });

  it("reports invalid UTF-8 as a bad line", async () => {
    const bytes = Buffer.concat([
      Buffer.from(line("CEO") + "\n"),
      Buffer.from('{"company":"A\xff","title":"x"}\n', "latin1"),
    ]);
    const { records, output } = await run("utf8.jsonl", bytes);
    expect(output).toBe(out("CEO"));
    expect(records).toEqual([
      { file: "utf8.jsonl", line: 2, reason: "invalid UTF-8", raw: '{"company":"A\ufffd","title":"x"}' },
    ]);
  });

  const big = `{"company":"Acme","title":"Lead Lawyer","description":"${"x".repeat(5_000_000)}"}`;
  it("reports a 5 MB line as bad under the default 1 MiB limit", async () => {
    const { records, output, meta } = await run("big.jsonl", `${line("CEO")}\n${big}\n${line("Intern")}`);
    expect(output).toBe(out("CEO") + out("Intern"));
    expect(records).toEqual([
      {
        file: "big.jsonl",
        line: 2,
        reason: `line over 1048576 bytes (${big.length} bytes)`,
        raw: big.slice(0, 1024),
      },
    ]);
    expect(meta).toMatchObject({ "lines-in": "3", "lines-out": "2", "lines-bad": "1" });
  });

  it("keeps a 5 MB line when the limit is raised", async () => {
    const { output, records } = await run("big.jsonl", `${big}\n`, { maxLineBytes: 8 << 20 });
    expect(records).toEqual([]);
    expect(output).toBe(`${big.slice(0, -1)},"seniority":${levelForTitle("Lead Lawyer")}}\n`);
  });

  it("asks only distinct pairs missing from the local cache, chunk by chunk", async () => {
    const cache = new PairLevelCache(100);
    const titles = ["CEO", "Intern", "CEO", "Paralegal", "Intern", "CEO"];
    const before = sim.stats().items;
    const first = await run("a.jsonl", titles.map((t) => line(t)).join("\n"), { cache, chunkLines: 2 });
    // chunks: [CEO, Intern] [CEO, Paralegal] [Intern, CEO] → asks 2, then 1 (CEO cached), then 0.
    expect(first.result).toMatchObject({ pairsRequested: 3, localCacheHits: 3, linesOut: 6 });
    expect(first.output).toBe(titles.map((t) => out(t)).join(""));
    const second = await run("b.jsonl", titles.map((t) => line(t)).join("\n"), { cache });
    expect(second.result).toMatchObject({ pairsRequested: 0, localCacheHits: 3 });
    expect(sim.stats().items - before).toBe(3);
  });

  it("skips a file whose output exists for the same source ETag, and redoes it when the source changes", async () => {
    const first = await run("r.jsonl", line("CEO"));
    const again = await processFile({ ...stores, key: "r.jsonl", resolver: client });
    expect(again).toMatchObject({
      outcome: "skipped",
      sourceEtag: first.result.sourceEtag,
      linesIn: 1,
      linesOut: 1,
      linesBad: 0,
    });
    const changed = await run("r.jsonl", line("Intern"));
    expect(changed.result.outcome).toBe("done");
    expect(changed.output).toBe(out("Intern"));
  });

  it("writes nothing when the resolver fails", async () => {
    mkdirSync(join(root, "raw"), { recursive: true });
    write("down.jsonl", line("CEO") + "\n");
    const failing = { resolve: () => Promise.reject(new Error("proxy down")), close: async () => {} };
    await expect(processFile({ ...stores, key: "down.jsonl", resolver: failing })).rejects.toThrow(
      "proxy down",
    );
    expect(existsSync(join(root, "mod", "down.jsonl"))).toBe(false);
    // One pass: both objects are put only after every line resolved, so neither exists.
    expect(existsSync(join(root, "errors", "down.jsonl"))).toBe(false);
  });

  it("buffers a large output in a temp file (bounded memory) and writes the same bytes, leaving no temp file", async () => {
    const input = Array.from({ length: 300 }, (_, i) => line(i % 2 ? "CFO" : "Intern", `,"n":${i}`)).join(
      "\n",
    );
    const spillDir = join(root, "spill");
    mkdirSync(spillDir);
    const spilled = await run("s.jsonl", `${input}\nbad\n`, { spillBytes: 1000, spillDir });
    const inMemory = await run("m.jsonl", `${input}\nbad\n`);
    expect(spilled.output).toBe(inMemory.output);
    expect(spilled.records).toEqual([{ file: "s.jsonl", line: 301, reason: "not JSON", raw: "bad" }]);
    expect(spilled.meta).toMatchObject({ "lines-in": "301", "lines-out": "300", "lines-bad": "1" });
    expect(readdirSync(spillDir)).toEqual([]);
  });

  it("parses in worker threads when given a ParsePool, with the same result", async () => {
    const pool = new ParsePool({
      threads: 2,
      workerUrl: new URL("../dist/parse/parseWorker.js", import.meta.url),
    });
    try {
      const input = [line("CFO"), "not json", line("Junior Accountant"), "", line("CFO")].join("\r\n");
      const threaded = await run("t.jsonl", input, { parser: pool });
      const inline = await run("i.jsonl", input);
      expect(threaded.output).toBe(inline.output);
      expect(threaded.records.map((r) => ({ ...r, file: "x" }))).toEqual(
        inline.records.map((r) => ({ ...r, file: "x" })),
      );
    } finally {
      await pool.close();
    }
  });

  it("fails, writing nothing, when the input changes while it is read", async () => {
    mkdirSync(join(root, "raw"), { recursive: true });
    write("moving.jsonl", line("CEO") + "\n");
    let heads = 0;
    const input = stores.input;
    const moving: ObjectStore = {
      location: input.location,
      list: (options) => input.list(options),
      get: (key, signal) => input.get(key, signal),
      put: (key, body, metadata, signal) => input.put(key, body, metadata, signal),
      delete: (key, signal) => input.delete(key, signal),
      close: () => input.close(),
      // The second look (after the read) sees another version.
      head: async (key, signal) => {
        const info = await input.head(key, signal);
        return info && heads++ > 0 ? { ...info, etag: "changed" } : info;
      },
    };
    await expect(
      processFile({ ...stores, input: moving, key: "moving.jsonl", resolver: client }),
    ).rejects.toThrow(/^input changed while being processed: moving.jsonl \(ETag [0-9a-f]{32} → changed\)$/);
    expect(existsSync(join(root, "mod", "moving.jsonl"))).toBe(false);
    expect(existsSync(join(root, "errors", "moving.jsonl"))).toBe(false);
  });
});
