import { lineBlocks } from "./lineBlocks.js";

/** One line of input, without its terminator ("\n" or "\r\n"); `number` is 1-based. */
export type RawLine =
  | { kind: "line"; number: number; bytes: Buffer }
  /** Over the byte limit: only its length and first `headBytes` bytes are kept. */
  | { kind: "too-long"; number: number; length: number; head: Buffer };

export interface SplitOptions {
  /** Longest line kept whole, in bytes, terminator excluded. */
  maxLineBytes: number;
  /** Bytes kept of an over-long line (for the errors object). Default 1024. */
  headBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines: LF or CRLF endings, a UTF-8 BOM at the very start dropped, a
 * last line without a newline kept, a trailing newline not making an extra empty line. Blank
 * lines are yielded (empty `bytes`) so every line keeps its number. Memory is bounded by
 * `maxLineBytes`: a longer line is counted and skipped, never buffered whole. A line at a time
 * over lineBlocks (the augmenter itself works a block at a time: parseBlock).
 */
export async function* splitLines(
  source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>,
  options: SplitOptions,
): AsyncGenerator<RawLine> {
  const { maxLineBytes } = options;
  const headBytes = options.headBytes ?? 1024;
  let number = 0;
  for await (const block of lineBlocks(source, options)) {
    if (block.kind === "too-long") {
      yield { ...block, number: ++number };
      continue;
    }
    const { bytes } = block;
    for (let start = 0; start < bytes.length;) {
      let end = bytes.indexOf(LF, start);
      const next = end === -1 ? bytes.length : end + 1;
      if (end === -1) end = bytes.length;
      if (end > start && bytes[end - 1] === CR) end--;
      const line = bytes.subarray(start, end);
      number++;
      yield line.length > maxLineBytes
        ? { kind: "too-long", number, length: line.length, head: Buffer.from(line.subarray(0, headBytes)) }
        : { kind: "line", number, bytes: line };
      start = next;
    }
  }
}
