import { BAD_FIELDS, type ParsedBlock } from "../parse/parseBlock.js";
import { utf8Excerpt } from "../jsonl/utf8Excerpt.js";

/** One line of the errors object (JSONL). `raw` is the line's first 1 KiB. */
export interface BadLineRecord {
  file: string;
  line: number;
  reason: string;
  raw: string;
}

/**
 * The errors object's JSONL for the bad lines `from` ≤ i < `to` of a block parsed from `bytes`
 * whose first line is number `firstNumber`: one record a line, in line order.
 */
export function badLineRecords(
  file: string,
  firstNumber: number,
  bad: ParsedBlock["bad"],
  bytes: Buffer,
  from: number,
  to: number,
): string {
  let text = "";
  for (let i = from; i < to; i++) {
    const at = BAD_FIELDS * i;
    const record: BadLineRecord = {
      file,
      line: firstNumber + bad.lines[at]!,
      reason: bad.reasons[bad.lines[at + 3]!]!,
      raw: utf8Excerpt(bytes.subarray(bad.lines[at + 1]!, bad.lines[at + 2]!)),
    };
    text += JSON.stringify(record) + "\n";
  }
  return text;
}
