import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { ObjectStore } from "@seniority/object-store";
import { describe, expect, it } from "vitest";
import { PairLevelCache } from "../src/file/PairLevelCache.js";
import { ParsePool } from "../src/parse/ParsePool.js";
import { processFile } from "../src/file/processFile.js";
import { useProcessFile } from "./useProcessFile.js";

// A file as a whole: what is asked of the model, skips and redos, failures that write nothing,
// spilling to disk and worker-thread parsing.
describe("processFile (local directories, real model-sim)", () => {
  const fixture = useProcessFile();
  const { run, line, out } = fixture;

  it("asks only distinct pairs missing from the local cache, chunk by chunk", async () => {
    const cache = new PairLevelCache(100);
    const titles = ["CEO", "Intern", "CEO", "Paralegal", "Intern", "CEO"];
    const before = fixture.sim.stats().items;
    const first = await run("a.jsonl", titles.map((t) => line(t)).join("\n"), { cache, chunkLines: 2 });
    // chunks: [CEO, Intern] [CEO, Paralegal] [Intern, CEO] → asks 2, then 1 (CEO cached), then 0.
    expect(first.result).toMatchObject({ pairsRequested: 3, localCacheHits: 3, linesOut: 6 });
    expect(first.output).toBe(titles.map((t) => out(t)).join(""));
    const second = await run("b.jsonl", titles.map((t) => line(t)).join("\n"), { cache });
    expect(second.result).toMatchObject({ pairsRequested: 0, localCacheHits: 3 });
    expect(fixture.sim.stats().items - before).toBe(3);
  });

  it("skips a file whose output exists for the same source ETag, and redoes it when the source changes", async () => {
    const first = await run("r.jsonl", line("CEO"));
    const again = await processFile({ ...fixture.stores, key: "r.jsonl", resolver: fixture.client });
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
    mkdirSync(join(fixture.root, "raw"), { recursive: true });
    fixture.write("down.jsonl", line("CEO") + "\n");
    const failing = { resolve: () => Promise.reject(new Error("proxy down")), close: async () => {} };
    await expect(processFile({ ...fixture.stores, key: "down.jsonl", resolver: failing })).rejects.toThrow(
      "proxy down",
    );
    expect(existsSync(join(fixture.root, "mod", "down.jsonl"))).toBe(false);
    // One pass: both objects are put only after every line resolved, so neither exists.
    expect(existsSync(join(fixture.root, "errors", "down.jsonl"))).toBe(false);
  });

  it("buffers a large output in a temp file (bounded memory) and writes the same bytes, leaving no temp file", async () => {
    const input = Array.from({ length: 300 }, (_, i) => line(i % 2 ? "CFO" : "Intern", `,"n":${i}`)).join(
      "\n",
    );
    const spillDir = join(fixture.root, "spill");
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
    mkdirSync(join(fixture.root, "raw"), { recursive: true });
    fixture.write("moving.jsonl", line("CEO") + "\n");
    let heads = 0;
    const input = fixture.stores.input;
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
      processFile({ ...fixture.stores, input: moving, key: "moving.jsonl", resolver: fixture.client }),
    ).rejects.toThrow(/^input changed while being processed: moving.jsonl \(ETag [0-9a-f]{32} → changed\)$/);
    expect(existsSync(join(fixture.root, "mod", "moving.jsonl"))).toBe(false);
    expect(existsSync(join(fixture.root, "errors", "moving.jsonl"))).toBe(false);
  });
});
