import { isUtf8 } from "node:buffer";
import type { SeniorityPair } from "@seniority/seniority-model";
import { scanObjectEnd } from "../jsonl/scanObjectEnd.js";
import { scanTopLevelObject, type ObjectScan } from "../jsonl/scanTopLevelObject.js";
import type { RawLine } from "../jsonl/splitLines.js";
import { utf8Excerpt } from "../jsonl/utf8Excerpt.js";

export type ParsedLine =
  | { ok: true; number: number; text: string; pair: SeniorityPair; scan: ObjectScan }
  /** `raw`: the line's first 1 KiB, for the errors object. */
  | { ok: false; number: number; reason: string; raw: string };

/**
 * A pair longer than this (company + title, UTF-8 bytes) is a bad line: no real title is that long,
 * and one such line would otherwise fail its file on every run (gRPC messages are capped at 4 MiB).
 */
export const MAX_PAIR_BYTES = 65_536;

/** Every reason a line can be bad; these exact strings go into the errors object. */
export const BadLineReason = {
  empty: "empty line",
  invalidUtf8: "invalid UTF-8",
  notJson: "not JSON",
  notObject: "not a JSON object",
  companyMissing: "company missing",
  companyNotString: "company not a string",
  titleMissing: "title missing",
  titleNotString: "title not a string",
  // A "\ud800"-style escape alone: no UTF-8 (nor protobuf string) can carry it; sent on, it would
  // become U+FFFD and share that pair's answer.
  companyIllFormed: "company not well-formed Unicode (lone surrogate)",
  titleIllFormed: "title not well-formed Unicode (lone surrogate)",
  pairTooLong: `company and title over ${MAX_PAIR_BYTES} bytes`,
  tooLong: (length: number, limit: number): string => `line over ${limit} bytes (${length} bytes)`,
} as const;

/**
 * Classifies one raw line. A good line is a JSON object whose `company` and `title` are strings;
 * blank lines are bad ("empty line"), so every input line is either written or reported.
 */
export function parseLine(line: RawLine, maxLineBytes: number): ParsedLine {
  const { number } = line;
  if (line.kind === "too-long") {
    return {
      ok: false,
      number,
      reason: BadLineReason.tooLong(line.length, maxLineBytes),
      raw: utf8Excerpt(line.head),
    };
  }
  if (line.bytes.length > 0 && !isUtf8(line.bytes))
    return { ok: false, number, reason: BadLineReason.invalidUtf8, raw: utf8Excerpt(line.bytes) };
  return parseLineText(line.bytes.toString("utf8"), number);
}

/**
 * parseLine for a line already decoded (valid UTF-8, terminator removed, within the size limit).
 * A good line's scan comes from the end of the text (scanObjectEnd) unless the object has a
 * top-level "seniority" to replace: the common case reads only the few bytes before the last "}".
 */
export function parseLineText(text: string, number: number): ParsedLine {
  if (text.length === 0) return bad(text, number, BadLineReason.empty);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's own message differs between Node versions; the reason must not.
    return bad(text, number, BadLineReason.notJson);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return bad(text, number, BadLineReason.notObject);
  const record = value as Record<string, unknown>;
  const company = Object.hasOwn(record, "company") ? record["company"] : undefined;
  const title = Object.hasOwn(record, "title") ? record["title"] : undefined;
  if (company === undefined) return bad(text, number, BadLineReason.companyMissing);
  if (typeof company !== "string") return bad(text, number, BadLineReason.companyNotString);
  if (title === undefined) return bad(text, number, BadLineReason.titleMissing);
  if (typeof title !== "string") return bad(text, number, BadLineReason.titleNotString);
  if (!company.isWellFormed()) return bad(text, number, BadLineReason.companyIllFormed);
  if (!title.isWellFormed()) return bad(text, number, BadLineReason.titleIllFormed);
  // A UTF-16 unit is at most 3 UTF-8 bytes: only long pairs need their bytes counted.
  if (
    (company.length + title.length) * 3 > MAX_PAIR_BYTES &&
    Buffer.byteLength(company) + Buffer.byteLength(title) > MAX_PAIR_BYTES
  )
    return bad(text, number, BadLineReason.pairTooLong);
  const scan = Object.hasOwn(record, "seniority") ? scanTopLevelObject(text) : scanObjectEnd(text);
  return { ok: true, number, text, pair: { company, title }, scan };
}

function bad(text: string, number: number, reason: string): ParsedLine {
  // Bytes, not UTF-16 units: the excerpt is the line's first 1 KiB as stored.
  return { ok: false, number, reason, raw: text.length <= 341 ? text : utf8Excerpt(Buffer.from(text)) };
}
