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
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Splits a byte stream into lines: LF or CRLF endings, a UTF-8 BOM at the very start dropped, a
 * last line without a newline kept, a trailing newline not making an extra empty line. Blank
 * lines are yielded (empty `bytes`) so every line keeps its number. Memory is bounded by
 * `maxLineBytes`: a longer line is counted and skipped, never buffered whole.
 */
export async function* splitLines(
  source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>,
  options: SplitOptions,
): AsyncGenerator<RawLine> {
  const { maxLineBytes } = options;
  const headBytes = options.headBytes ?? 1024;
  let parts: Buffer[] = []; // the current line's pieces, while within the limit
  let length = 0; // bytes of the current line so far (terminator's "\r" included)
  let head: Buffer | undefined; // set once the current line went over the limit
  let endsWithCR = false;
  let number = 0;
  let prefix: Buffer | undefined = Buffer.alloc(0); // the first bytes, until the BOM is decided

  const append = (piece: Buffer): void => {
    if (piece.length === 0) return;
    endsWithCR = piece[piece.length - 1] === CR;
    length += piece.length;
    if (head) return;
    parts.push(piece);
    // +1: a line of exactly maxLineBytes may still carry the "\r" of its CRLF.
    if (length > maxLineBytes + 1) {
      head = Buffer.from(Buffer.concat(parts).subarray(0, headBytes));
      parts = [];
    }
  };
  const finish = (): RawLine => {
    number++;
    const contentLength = endsWithCR ? length - 1 : length;
    let line: RawLine;
    if (head || contentLength > maxLineBytes) {
      line = {
        kind: "too-long",
        number,
        length: contentLength,
        head: head ?? Buffer.from(Buffer.concat(parts).subarray(0, headBytes)),
      };
    } else {
      line = { kind: "line", number, bytes: Buffer.concat(parts, length).subarray(0, contentLength) };
    }
    parts = [];
    length = 0;
    head = undefined;
    endsWithCR = false;
    return line;
  };
  const lines = function* (chunk: Buffer): Generator<RawLine> {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(LF, start);
      if (newline === -1) {
        append(chunk.subarray(start));
        return;
      }
      append(chunk.subarray(start, newline));
      yield finish();
      start = newline + 1;
    }
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
    yield* lines(chunk);
  }
  if (prefix) yield* lines(prefix.equals(BOM) ? Buffer.alloc(0) : prefix);
  if (length > 0 || head) yield finish();
}
