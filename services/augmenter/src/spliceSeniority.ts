import type { ObjectScan } from "./scanTopLevelObject.js";

/**
 * The line's original text with the level added: every top-level "seniority" value replaced in
 * place, or, when there is none, `,"seniority":N` (compact, no spaces) inserted right after the
 * last member. Everything else — field order, spacing, escapes — is left byte for byte.
 */
export function spliceSeniority(text: string, scan: ObjectScan, level: number): string {
  const value = String(level);
  if (scan.seniorityValues.length === 0) {
    const member = `${scan.empty ? "" : ","}"seniority":${value}`;
    return text.slice(0, scan.insertAt) + member + text.slice(scan.insertAt);
  }
  let out = "";
  let from = 0;
  for (const [start, end] of scan.seniorityValues) {
    out += text.slice(from, start) + value;
    from = end;
  }
  return out + text.slice(from);
}
