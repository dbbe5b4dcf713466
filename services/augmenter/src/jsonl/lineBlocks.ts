/**
 * A run of whole lines, or one line too long to keep.
 * - "lines": `bytes` holds one or more lines, each ending with "\n" — except at the end of the
 *   input, where the last line may have no newline (it is then non-empty). Lines keep any "\r".
 * - "too-long": a line that outgrew `maxLineBytes + 1` bytes (the +1: its CRLF's "\r") while being
 *   read; only its length (terminator excluded) and first `headBytes` bytes are kept.
 * Lines inside a "lines" block may still be over the limit (a block is as large as the read that
 * brought it): the reader of the block checks each line's length.
 */
export type LineBlock = { kind: "lines"; bytes: Buffer } | { kind: "too-long"; length: number; head: Buffer };

export interface LineBlockOptions {
  /** Longest line kept whole, in bytes, terminator excluded. */
  maxLineBytes: number;
  /** Bytes kept of an over-long line (for the errors object). Default 1024. */
  headBytes?: number;
  /**
   * Whole lines are gathered into blocks of at least this many bytes (the last one may be
   * smaller): fewer, larger blocks cost less to hand to a parse thread. Default 0 (a block per read).
   */
  minBlockBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Cuts a byte stream into blocks of whole lines (one per read, or gathered to `minBlockBytes`),
 * so lines can be decoded and parsed a block at a time. A UTF-8 BOM at the very start is dropped.
 * Memory is bounded by `maxLineBytes` plus `minBlockBytes` plus one read: the part of a line
 * carried over to the next read is dropped (its head kept) once it is over the limit.
 */
export async function* lineBlocks(
  source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>,
  options: LineBlockOptions,
): AsyncGenerator<LineBlock> {
  const { maxLineBytes } = options;
  const headBytes = options.headBytes ?? 1024;
  const minBlockBytes = options.minBlockBytes ?? 0;
  let gathered: Buffer[] = []; // whole lines not yet yielded, while under minBlockBytes
  let gatheredBytes = 0;
  let carry: Buffer[] = []; // the pieces of the line begun in an earlier read, while within the limit
  let carried = 0; // bytes of that line so far (its "\r" included)
  let head: Buffer | undefined; // set once that line went over the limit
  let endsWithCR = false; // the line so far ends with "\r"
  let prefix: Buffer | undefined = Buffer.alloc(0); // the first bytes, until the BOM is decided

  /** The carried line ended (at `piece`'s start, or at the end of input) while over the limit. */
  const tooLong = (): LineBlock => {
    const block: LineBlock = { kind: "too-long", length: endsWithCR ? carried - 1 : carried, head: head! };
    carry = [];
    carried = 0;
    head = undefined;
    endsWithCR = false;
    return block;
  };
  const keep = (piece: Buffer): void => {
    if (piece.length === 0) return;
    endsWithCR = piece[piece.length - 1] === CR;
    carried += piece.length;
    if (head) return;
    carry.push(piece);
    if (carried > maxLineBytes + 1) {
      head = Buffer.from(Buffer.concat(carry).subarray(0, headBytes));
      carry = [];
    }
  };
  /** The lines gathered so far, as one block (none when nothing is gathered). */
  const flush = function* (): Generator<LineBlock> {
    if (gatheredBytes === 0) return;
    const bytes = gathered.length === 1 ? gathered[0]! : Buffer.concat(gathered, gatheredBytes);
    gathered = [];
    gatheredBytes = 0;
    yield { kind: "lines", bytes };
  };
  const blocks = function* (chunk: Buffer): Generator<LineBlock> {
    const last = chunk.lastIndexOf(LF);
    if (last === -1) {
      keep(chunk);
      return;
    }
    let start = 0;
    if (head) {
      // The over-long line ends at the first newline of this read.
      const first = chunk.indexOf(LF);
      keep(chunk.subarray(0, first));
      yield* flush(); // lines before it go first
      yield tooLong();
      start = first + 1;
    }
    if (start <= last) {
      gathered.push(...carry, chunk.subarray(start, last + 1));
      gatheredBytes += carried + last + 1 - start;
      carry = [];
      carried = 0;
      endsWithCR = false;
      if (gatheredBytes >= minBlockBytes) yield* flush();
    }
    keep(chunk.subarray(last + 1));
  };

  for await (const piece of source) {
    let chunk =
      typeof piece === "string" ? Buffer.from(piece) : Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
    if (prefix) {
      prefix = Buffer.concat([prefix, chunk]);
      if (prefix.length < BOM.length) continue;
      chunk = prefix.subarray(0, BOM.length).equals(BOM) ? prefix.subarray(BOM.length) : prefix;
      prefix = undefined;
    }
    yield* blocks(chunk);
  }
  if (prefix) yield* blocks(prefix.equals(BOM) ? Buffer.alloc(0) : prefix);
  yield* flush();
  if (head) yield tooLong();
  else if (carried > 0) yield { kind: "lines", bytes: Buffer.concat(carry, carried) };
}
