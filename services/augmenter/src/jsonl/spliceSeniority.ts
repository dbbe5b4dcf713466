import type { ObjectScan } from "./scanTopLevelObject.js";

/** `,"seniority":N` by level (the common insert), built once. */
const MEMBERS = Array.from({ length: 8 }, (_, level) => `,"seniority":${level}`);

/**
 * The line's original text with the level added (null: `"seniority":null`, a deferred pair): every top-level "seniority" value replaced in
 * place, or, when there is none, `,"seniority":N` (compact, no spaces) inserted right after the
 * last member. Everything else — field order, spacing, escapes — is left byte for byte.
 */
export function spliceSeniority(text: string, scan: ObjectScan, level: number | null): string {
  if (scan.seniorityValues.length === 0) {
    const member = (level === null ? undefined : MEMBERS[level]) ?? `,"seniority":${level}`;
    return text.slice(0, scan.insertAt) + (scan.empty ? member.slice(1) : member) + text.slice(scan.insertAt);
  }
  const value = String(level);
  let out = "";
  let from = 0;
  for (const [start, end] of scan.seniorityValues) {
    out += text.slice(from, start) + value;
    from = end;
  }
  return out + text.slice(from);
}
