import { isUtf8 } from "node:buffer";
import { MAX_PAIR_BYTES, parseLine, parseLineText, type ParsedLine } from "./parseLine.js";
import { scanJsonLine, type JsonLineScan } from "../jsonl/scanJsonLine.js";
import { BlockPairs } from "./BlockPairs.js";
import type { ObjectScan } from "../jsonl/scanTopLevelObject.js";

const LF = 0x0a;
const CR = 0x0d;

/** Numbers per good line in ParsedBlock.good. */
export const GOOD_FIELDS = 4;
/** Numbers per bad line in ParsedBlock.bad.lines. */
export const BAD_FIELDS = 4;

/**
 * A "lines" block (see lineBlocks) parsed, in a compact form that crosses threads cheaply
 * (structured clone: typed arrays and string arrays) and stays small whatever the lines: a few
 * numbers a line. Lines are indexed from 0 within the block (the reader adds the block's first
 * line number).
 */
export interface ParsedBlock {
  /** Lines in the block. */
  lines: number;
  /**
   * Good lines, GOOD_FIELDS numbers each: start, insert point and end of the line's bytes in the
   * block (terminator excluded; the insert point is where `,"seniority":N` goes) and its pair,
   * an index into `companies`/`titles`. Only the first `goodCount` entries are used.
   */
  good: Int32Array;
  goodCount: number;
  /** The block's distinct pairs, first seen first. */
  companies: string[];
  titles: string[];
  /** Good lines kept as text (an existing "seniority" to replace, or an empty object), by good-line index. */
  special: { good: number; text: string; scan: ObjectScan }[];
  /**
   * Bad lines, in order, BAD_FIELDS numbers each: index of the line in the block, start and end of
   * the bytes its excerpt in the errors object is made from when written (utf8Excerpt: the line,
   * or the first 1 KiB of an over-long one, as splitLines keeps), and its reason, an index into
   * `reasons`. Only the first `count` entries are used.
   */
  bad: { lines: Int32Array; count: number; reasons: string[] };
}

/**
 * Parses a "lines" block: every line exactly as splitLines + parseLine would classify it, good
 * lines reduced to byte spans and distinct pairs. A block of valid UTF-8 (checked at once; then
 * every line in it is valid too, as "\n" never occurs inside a multi-byte character) skips the
 * per-line check, and each line is first read by scanJsonLine straight from the bytes: only
 * company and title are decoded. A line it cannot vouch for (bad, escaped company or title, an
 * existing seniority, …) is decoded alone and given to parseLineText (JSON.parse), which decides.
 * Pure and synchronous: runs inline or in a ParsePool thread.
 */
export function parseBlock(bytes: Buffer, maxLineBytes: number): ParsedBlock {
  const valid = isUtf8(bytes);
  const parsed: ParsedBlock = {
    lines: 0,
    good: new Int32Array(GOOD_FIELDS * 256),
    goodCount: 0,
    companies: [],
    titles: [],
    special: [],
    bad: { lines: new Int32Array(BAD_FIELDS * 16), count: 0, reasons: [] },
  };
  const pairs = new BlockPairs(bytes);
  const scan: JsonLineScan = { companyStart: 0, companyEnd: 0, titleStart: 0, titleEnd: 0, insertAt: 0 };
  for (let start = 0; start < bytes.length; parsed.lines++) {
    let end = bytes.indexOf(LF, start);
    const next = end === -1 ? bytes.length : end + 1;
    if (end === -1) end = bytes.length;
    if (end > start && bytes[end - 1] === CR) end--;
    if (valid && end - start <= maxLineBytes && scanJsonLine(bytes, start, end, MAX_PAIR_BYTES, scan)) {
      // The usual line, read from its bytes: no line string, no JSON.parse.
      const pair = pairs.fromBytes(scan.companyStart, scan.companyEnd, scan.titleStart, scan.titleEnd);
      addGood(parsed, pair, start, scan.insertAt, end);
    } else {
      const line = parseAt(bytes, start, end, valid, maxLineBytes);
      if (!line.ok) addBad(parsed, line.reason, start, end - start > maxLineBytes ? start + 1024 : end);
      else {
        const { pair, scan: object, text } = line;
        if (object.seniorityValues.length > 0 || object.empty)
          parsed.special.push({ good: parsed.goodCount, text, scan: object });
        // The text after the insert point is whitespace and "}" (ASCII): as many bytes as UTF-16 units.
        const insertAt = end - (text.length - object.insertAt);
        addGood(parsed, pairs.fromStrings(pair.company, pair.title), start, insertAt, end);
      }
    }
    start = next;
  }
  parsed.companies = pairs.companies;
  parsed.titles = pairs.titles;
  return parsed;
}

function parseAt(
  bytes: Buffer,
  start: number,
  end: number,
  valid: boolean,
  maxLineBytes: number,
): ParsedLine {
  const length = end - start;
  if (length > maxLineBytes) {
    const head = bytes.subarray(start, start + 1024);
    return parseLine({ kind: "too-long", number: 0, length, head }, maxLineBytes);
  }
  if (valid) return parseLineText(bytes.toString("utf8", start, end), 0);
  return parseLine({ kind: "line", number: 0, bytes: bytes.subarray(start, end) }, maxLineBytes);
}

function addGood(parsed: ParsedBlock, pair: number, start: number, insertAt: number, end: number): void {
  if (GOOD_FIELDS * (parsed.goodCount + 1) > parsed.good.length) parsed.good = grown(parsed.good);
  const at = GOOD_FIELDS * parsed.goodCount++;
  parsed.good[at] = start;
  parsed.good[at + 1] = insertAt;
  parsed.good[at + 2] = end;
  parsed.good[at + 3] = pair;
}

function addBad(parsed: ParsedBlock, reason: string, start: number, end: number): void {
  const { bad } = parsed;
  if (BAD_FIELDS * (bad.count + 1) > bad.lines.length) bad.lines = grown(bad.lines);
  let reasonIndex = bad.reasons.indexOf(reason); // a handful of distinct reasons
  if (reasonIndex === -1) reasonIndex = bad.reasons.push(reason) - 1;
  const at = BAD_FIELDS * bad.count++;
  bad.lines[at] = parsed.lines;
  bad.lines[at + 1] = start;
  bad.lines[at + 2] = end;
  bad.lines[at + 3] = reasonIndex;
}

function grown(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
