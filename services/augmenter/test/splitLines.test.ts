import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitLines, type RawLine } from "../src/jsonl/splitLines.js";
import { cutInto } from "./support/cutInto.js";

async function split(
  chunks: (string | Buffer)[],
  maxLineBytes = 100,
): Promise<(string | { tooLong: number; head: string; line: number })[]> {
  const out: (string | { tooLong: number; head: string; line: number })[] = [];
  let expected = 1;
  for await (const line of splitLines(chunks, { maxLineBytes, headBytes: 4 })) {
    expect(line.number).toBe(expected++);
    out.push(show(line));
  }
  return out;
}
const show = (line: RawLine) =>
  line.kind === "line"
    ? line.bytes.toString("latin1")
    : { tooLong: line.length, head: line.head.toString("latin1"), line: line.number };

describe("splitLines", () => {
  it("splits LF and CRLF lines, keeping a last line without newline", async () => {
    expect(await split(["a\nb\r\nc"])).toEqual(["a", "b", "c"]);
  });

  it("adds no empty line after a final newline, but yields blank lines inside", async () => {
    expect(await split(["a\n\n\r\nb\n"])).toEqual(["a", "", "", "b"]);
  });

  it("yields nothing for an empty file, and one empty line for a lone newline", async () => {
    expect(await split([])).toEqual([]);
    expect(await split([""])).toEqual([]);
    expect(await split(["\n"])).toEqual([""]);
  });

  it("drops a UTF-8 BOM at the start only, even split across chunks", async () => {
    expect(
      await split([
        Buffer.from([0xef]),
        Buffer.from([0xbb]),
        Buffer.from([0xbf, 0x61, 0x0a, 0xef, 0xbb, 0xbf]),
      ]),
    ).toEqual(["a", "\xef\xbb\xbf"]);
    expect(await split([Buffer.from([0xef, 0xbb, 0xbf])])).toEqual([]);
    expect(await split(["a"])).toEqual(["a"]);
  });

  it("keeps a lone CR inside a line and strips only the one before LF", async () => {
    expect(await split(["a\rb\r\r\n"])).toEqual(["a\rb\r"]);
  });

  it("reports lines over the limit with their length and head, at any chunking", async () => {
    const expected = [
      "x".repeat(10),
      { tooLong: 11, head: "yyyy", line: 2 },
      "z",
      { tooLong: 25, head: "wwww", line: 4 },
    ];
    const text = `${"x".repeat(10)}\r\n${"y".repeat(11)}\nz\n${"w".repeat(25)}`;
    expect(await split([text], 10)).toEqual(expected);
    expect(
      await split(
        [...text].map((c) => c),
        10,
      ),
    ).toEqual(expected);
  });

  it("takes a line of exactly the limit, CRLF included", async () => {
    expect(await split(["abcd\r\n", "abcd\r", "\n"], 4)).toEqual(["abcd", "abcd"]);
    expect(await split(["abcd\r\r\n"], 4)).toEqual([{ tooLong: 5, head: "abcd", line: 1 }]);
  });

  it("gives the same lines whatever the chunk boundaries (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("a", "é", "\n", "\r", "\r\n", "{}", " "), { maxLength: 40 }),
        fc.array(fc.nat(50)),
        async (pieces, cuts) => {
          const text = Buffer.from(pieces.join(""));
          const chunks = cutInto(text, cuts);
          const expected = text
            .toString("latin1")
            .split("\n")
            .map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
          if (text.toString("latin1").endsWith("\n") || text.length === 0) expected.pop();
          expect(await split(chunks, 1000)).toEqual(expected);
        },
      ),
    );
  });
});
