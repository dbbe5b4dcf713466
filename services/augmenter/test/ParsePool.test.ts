import { describe, expect, it } from "vitest";
import { parseBlock } from "../src/parse/parseBlock.js";
import { ParsePool } from "../src/parse/ParsePool.js";
import { augment } from "./augmentHelpers.js";

// Threads run built code (a worker cannot load the .ts sources): the package's dist.
const WORKER = new URL("../dist/parse/parseWorker.js", import.meta.url);
const CRASHING = new URL("./fixtures/crashingParseWorker.mjs", import.meta.url);

const block = Buffer.from(
  [
    '{"company":"Acme","title":"CFO"}',
    "not json",
    '{"seniority":1,"company":"Acme","title":"Intern"}',
    '{"company":"Zoë","title":"CFO"}',
    '{"company":"Acme","title":"CFO"}',
  ].join("\r\n"),
);

describe("ParsePool", () => {
  it("parses exactly as this thread does, with several threads and blocks in flight", async () => {
    const pool = new ParsePool({ threads: 2, workerUrl: WORKER });
    try {
      const parsed = await Promise.all(Array.from({ length: 6 }, () => pool.parse(block, 1_048_576)));
      for (const one of parsed) expect(one).toEqual(parseBlock(block, 1_048_576));
    } finally {
      await pool.close();
    }
  });

  it("gives a file the same output and errors as parsing inline", async () => {
    const bytes = Buffer.from(`${block.toString()}\n`.repeat(500));
    const pool = new ParsePool({ threads: 1, workerUrl: WORKER });
    try {
      const threaded = await augment(bytes, [777, 5000], { parser: pool, blockBytes: 4096, chunkLines: 300 });
      const inline = await augment(bytes, [777, 5000], { blockBytes: 4096, chunkLines: 300 });
      expect(threaded.output).toBe(inline.output);
      expect(threaded.errors).toEqual(inline.errors);
      expect(threaded.errors).toHaveLength(500);
    } finally {
      await pool.close();
    }
  });

  it("rejects what a dying thread had outstanding, then carries on with a new thread", async () => {
    const pool = new ParsePool({ threads: 1, workerUrl: CRASHING });
    try {
      await expect(pool.parse(Buffer.from("CRASH\n"), 1024)).rejects.toThrow("parse thread exited (code 3)");
      expect(await pool.parse(block, 1_048_576)).toEqual(parseBlock(block, 1_048_576));
    } finally {
      await pool.close();
    }
  });

  it("closes idempotently; a parse after close is refused", async () => {
    const pool = new ParsePool({ threads: 1, workerUrl: WORKER });
    await pool.parse(block, 1024);
    await pool.close();
    await pool.close();
    await expect(pool.parse(block, 1024)).rejects.toThrow("ParsePool is closed");
    expect(() => new ParsePool({ threads: 0 })).toThrow("threads must be a positive integer, got 0");
  });
});
