import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PairLevelCache } from "../src/file/PairLevelCache.js";
import { augment, reference } from "./augmentHelpers.js";

/** Lines of every kind the augmenter meets: good, odd-but-good, and bad. */
const anyLine = fc.oneof(
  fc
    .record({ company: fc.string({ maxLength: 8 }), title: fc.string({ maxLength: 8 }), n: fc.integer() })
    .map((o) => JSON.stringify(o)),
  fc.constantFrom(
    '{"company":"Acme","title":"CFO"}',
    '{"company":"Acme","title":"CFO"}',
    '  { "company" : "Caf\\u00e9", "title":"Zoë 🚀" , "x": [1, {"seniority": 2}] }\t',
    '{"seniority": 9, "company":"A","title":"B","seniority":"old"}',
    '{"company":"A","title":"B","seni\\u006frity":1}',
    '{"company":"日本","title":"部長"}',
    "{}",
    "",
    "   ",
    "not json",
    "[1]",
    '{"title":"x"}',
    '{"company":1,"title":"x"}',
    '{"company":"a","title":null}',
    `{"company":"long","title":"${"t".repeat(1100)}"}`,
    `{"company":"long","title":"${"é".repeat(600)}"}`,
  ),
);

describe("augmentedChunks (one pass over a file)", () => {
  it("equals the line-by-line contract at any reads, block and chunk sizes (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(anyLine, fc.constantFrom("\n", "\r\n")), { maxLength: 30 }),
        fc.boolean(),
        fc.array(fc.nat(400), { maxLength: 20 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 3000 }),
        async (lines, lastNewline, cuts, chunkLines, blockBytes) => {
          const parts = lines.map(([line, eol]) => Buffer.from(line + eol));
          // An invalid UTF-8 line now and then, and maybe no newline at the end.
          if (lines.length > 2) parts.splice(1, 0, Buffer.from([0x7b, 0xff, 0x7d, 0x0a]));
          let bytes = Buffer.concat(parts);
          if (!lastNewline && bytes.length > 0) bytes = bytes.subarray(0, bytes.lastIndexOf(0x0a));
          // The CLI's least limit: an over-long line keeps its first 1 KiB whatever the reads.
          const maxLineBytes = 1024;
          const expected = await reference(bytes, maxLineBytes);
          const got = await augment(bytes, cuts, { chunkLines, blockBytes, maxLineBytes });
          expect(got.output).toBe(expected.output);
          expect(got.errors).toEqual(expected.errors);
          const linesOut = expected.output === "" ? 0 : expected.output.split("\n").length - 1;
          expect(got.stats).toMatchObject({
            linesIn: linesOut + expected.errors.length,
            linesOut,
            linesBad: expected.errors.length,
          });
          expect(got.progress).toEqual({ ok: linesOut, bad: expected.errors.length });
          // Each resolver call: distinct pairs of one chunk, never more than chunkLines.
          for (const call of got.calls) {
            expect(call.length).toBeLessThanOrEqual(chunkLines);
            expect(new Set(call.map((p) => JSON.stringify(p))).size).toBe(call.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("asks the local cache first and the resolver only for its misses", async () => {
    const line = (title: string) => `{"company":"Acme","title":"${title}"}\n`;
    const bytes = Buffer.from(["CEO", "Intern", "CEO", "Paralegal"].map(line).join(""));
    const cache = new PairLevelCache(10);
    cache.set({ company: "Acme", title: "CEO" }, 7);
    const got = await augment(bytes, [], { cache });
    expect(got.calls).toEqual([
      [
        { company: "Acme", title: "Intern" },
        { company: "Acme", title: "Paralegal" },
      ],
    ]);
    expect(got.stats).toMatchObject({ localCacheHits: 1, pairsRequested: 2 });
    expect(got.output.split("\n")[0]).toBe('{"company":"Acme","title":"CEO","seniority":7}');
  });

  it("passes bad lines on in bounded pieces, numbered, while good lines wait for their chunk", async () => {
    const bytes = Buffer.from("x\n".repeat(2500) + '{"company":"A","title":"B"}\n');
    const got = await augment(bytes, [1000, 1000, 1000, 1000]);
    expect(got.errors).toHaveLength(2500);
    expect(got.errors.map((r) => r.line)).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    expect(got.stats).toMatchObject({ linesIn: 2501, linesOut: 1, linesBad: 2500 });
  });
});
