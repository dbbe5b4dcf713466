import type { ObjectScan } from "./scanTopLevelObject.js";

/** Shared by every scan that found no "seniority" member (never mutated). */
const NONE: readonly (readonly [number, number])[] = Object.freeze([]);

/**
 * The ObjectScan of a JSON object's text that has no top-level "seniority" member, found from the
 * end: the text ends with "}" (then only whitespace), and the new member goes just after the last
 * non-whitespace character before that "}" — after the last member's value, or after "{" when the
 * object is empty. Equal to scanTopLevelObject's answer for such a text, but reads a few bytes
 * instead of the whole line. The caller must know the text parsed (JSON.parse) to an object
 * without an own "seniority" property; otherwise use scanTopLevelObject.
 */
export function scanObjectEnd(text: string): ObjectScan {
  let i = skipWhitespaceBack(text, text.length - 1);
  if (text.charCodeAt(i) !== 0x7d /* } */) throw new Error(`scanObjectEnd: expected "}" at ${i}`);
  i = skipWhitespaceBack(text, i - 1);
  // Only the top level's own "{" can come right before its "}": a value never ends with "{".
  return { insertAt: i + 1, empty: text.charCodeAt(i) === 0x7b /* { */, seniorityValues: NONE };
}

function skipWhitespaceBack(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    // JSON whitespace: space, tab, LF, CR.
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i--;
    else return i;
  }
}
