import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineBlocks, type LineBlock } from "../src/jsonl/lineBlocks.js";
import { cutInto } from "./support/cutInto.js";

type Item = string | { tooLong: number; head: string };

/** The lines of `blocks` (each "lines" block split at "\n", CR kept) and the too-long ones, in order. */
function linesOf(blocks: LineBlock[]): Item[] {
  const items: Item[] = [];
  for (const block of blocks) {
    if (block.kind === "too-long") {
      items.push({ tooLong: block.length, head: block.head.toString("latin1") });
      continue;
    }
    const text = block.bytes.toString("latin1");
    const parts = text.split("\n");
    if (parts.at(-1) === "") parts.pop();
    items.push(...parts);
  }
  return items;
}

async function collect(chunks: Buffer[], options: { maxLineBytes: number; minBlockBytes?: number }) {
  const blocks: LineBlock[] = [];
  for await (const block of lineBlocks(chunks, { ...options, headBytes: 4 })) blocks.push(block);
  return blocks;
}

describe("lineBlocks", () => {
  it("yields whole lines a read at a time, carrying a line split across reads", async () => {
    const blocks = await collect([Buffer.from("a\nbb"), Buffer.from("b\nc")], { maxLineBytes: 100 });
    expect(blocks.map((b) => (b.kind === "lines" ? b.bytes.toString() : b))).toEqual(["a\n", "bbb\n", "c"]);
  });

  it("gathers reads into blocks of at least minBlockBytes, flushing before an over-long line", async () => {
    const chunks = ["ab\n", "cd\n", "ef\n", "x".repeat(12), "\ngh\n"].map((s) => Buffer.from(s));
    const blocks = await collect(chunks, { maxLineBytes: 5, minBlockBytes: 6 });
    expect(blocks.map((b) => (b.kind === "lines" ? b.bytes.toString() : { tooLong: b.length }))).toEqual([
      "ab\ncd\n",
      "ef\n",
      { tooLong: 12 },
      "gh\n",
    ]);
  });

  it("keeps every line, in order, whatever the reads and block size (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("a", "é", "\n", "\r", "\r\n", "{}", " ", "xxxxxxxxx"), { maxLength: 60 }),
        fc.array(fc.nat(30)),
        fc.nat(40),
        async (pieces, cuts, minBlockBytes) => {
          const text = Buffer.from(pieces.join(""));
          const chunks = cutInto(text, cuts);
          const maxLineBytes = 12;
          const blocks = await collect(chunks, { maxLineBytes, minBlockBytes });
          // What a reader makes of a line: too long when its content (without "\r") is over the limit.
          const classify = (item: Item): Item => {
            if (typeof item !== "string") return item;
            const length = item.endsWith("\r") ? item.length - 1 : item.length;
            return length > maxLineBytes ? { tooLong: length, head: item.slice(0, 4) } : item;
          };
          const expected = text.toString("latin1").split("\n");
          if (text.length === 0 || text.toString("latin1").endsWith("\n")) expected.pop();
          expect(linesOf(blocks).map(classify)).toEqual(expected.map(classify));
          for (const [i, block] of blocks.entries()) {
            if (block.kind !== "lines") continue;
            const last = i === blocks.length - 1;
            if (!last) expect(block.bytes.at(-1)).toBe(0x0a);
            expect(block.bytes.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
