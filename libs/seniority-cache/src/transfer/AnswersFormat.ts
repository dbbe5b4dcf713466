import { isLevel } from "@seniority/seniority-model";
import { PAIR_KEY_BYTES } from "@seniority/pair-key";
import type { StoreEntry } from "../stores/Store.js";
import type { EntryKeyForm } from "../stores/StoreEntrySource.js";

/**
 * The export file (JSONL, one object a line):
 *   {"format":"seniority-answers","version":1,"namespace":"v1:std:m:k2","keys":"full"}
 *   {"key":"<32 hex digits>","level":3}            … one line an answer
 *   {"end":true,"entries":<answers above>}
 * `"keys":"compact","buckets":<n>` instead says the keys are compact-layout stand-ins (EntryKeyForm).
 * The trailer tells a complete file from a cut one.
 */
export const ANSWERS_FORMAT = "seniority-answers";
export const ANSWERS_VERSION = 1;

/** A line that breaks the format; `line` is 1-based. */
export class AnswersFormatError extends Error {
  override readonly name = "AnswersFormatError";
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export interface AnswersHeader {
  namespace: string;
  keyForm: EntryKeyForm;
}

export function headerLine({ namespace, keyForm }: AnswersHeader): string {
  const keys = keyForm.kind === "full" ? { keys: "full" } : { keys: "compact", buckets: keyForm.buckets };
  return `${JSON.stringify({ format: ANSWERS_FORMAT, version: ANSWERS_VERSION, namespace, ...keys })}\n`;
}

export function entryLine({ key, level }: StoreEntry): string {
  return `{"key":"${key.toString("hex")}","level":${level}}\n`;
}

export function trailerLine(entries: number): string {
  return `${JSON.stringify({ end: true, entries })}\n`;
}

export function parseHeader(text: string | undefined): AnswersHeader {
  const value = parseObject(text ?? "", 1, "an empty file, not an export (no header line)");
  if (value["format"] !== ANSWERS_FORMAT || value["version"] !== ANSWERS_VERSION) {
    throw new AnswersFormatError(1, `not a ${ANSWERS_FORMAT} version ${ANSWERS_VERSION} header`);
  }
  const namespace = value["namespace"];
  if (typeof namespace !== "string" || namespace === "")
    throw new AnswersFormatError(1, "the header names no namespace");
  if (value["keys"] === "full") return { namespace, keyForm: { kind: "full" } };
  const buckets = value["buckets"];
  if (value["keys"] === "compact" && Number.isInteger(buckets) && (buckets as number) >= 1) {
    return { namespace, keyForm: { kind: "compact", buckets: buckets as number } };
  }
  throw new AnswersFormatError(1, 'the header\'s "keys" is neither "full" nor "compact" with its "buckets"');
}

/** An answer line as an entry, or the trailer's count ({ end }). */
export function parseBody(text: string, line: number): StoreEntry | { end: number } {
  const value = parseObject(text, line, "an empty line");
  if (value["end"] === true) {
    const entries = value["entries"];
    if (!Number.isInteger(entries) || (entries as number) < 0)
      throw new AnswersFormatError(line, "a trailer without its count");
    return { end: entries as number };
  }
  const { key, level } = value;
  if (typeof key !== "string" || !new RegExp(`^[0-9a-f]{${2 * PAIR_KEY_BYTES}}$`).test(key)) {
    throw new AnswersFormatError(line, `"key" must be ${2 * PAIR_KEY_BYTES} lower-case hex digits`);
  }
  if (!isLevel(level))
    throw new AnswersFormatError(line, `level ${JSON.stringify(level)} is not an integer in 1..7`);
  return { key: Buffer.from(key, "hex"), level };
}

function parseObject(text: string, line: number, empty: string): Record<string, unknown> {
  if (text.trim() === "") throw new AnswersFormatError(line, empty);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AnswersFormatError(line, "not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AnswersFormatError(line, "not a JSON object");
  }
  return value as Record<string, unknown>;
}
