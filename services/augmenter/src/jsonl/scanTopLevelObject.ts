/** Where things are in the text of one JSON object (UTF-16 indexes into the line's string). */
export interface ObjectScan {
  /** Just after the last member's value (just after "{" when empty): where a new member goes. */
  insertAt: number;
  empty: boolean;
  /** [start, end) of the value of every top-level member named "seniority" (nested ones ignored). */
  seniorityValues: readonly (readonly [number, number])[];
}

const SENIORITY = "seniority";

/**
 * Scans the top level of a JSON object's text. The text must already have parsed (JSON.parse) to
 * an object, so this only finds boundaries: strings are skipped escape-aware, nested values by
 * bracket depth. A key is "seniority" after unescaping ("seni\u006fority" counts too).
 */
export function scanTopLevelObject(text: string): ObjectScan {
  let i = skipWhitespace(text, 0);
  expect(text, i, "{");
  const afterBrace = i + 1;
  i = skipWhitespace(text, afterBrace);
  const seniorityValues: [number, number][] = [];
  if (text[i] === "}") return { insertAt: afterBrace, empty: true, seniorityValues };
  for (;;) {
    const keyStart = i;
    i = skipString(text, i);
    const key = text.slice(keyStart + 1, i - 1);
    const isSeniority = key === SENIORITY || (key.includes("\\") && JSON.parse(`"${key}"`) === SENIORITY);
    i = skipWhitespace(text, i);
    expect(text, i, ":");
    const valueStart = skipWhitespace(text, i + 1);
    i = skipValue(text, valueStart);
    if (isSeniority) seniorityValues.push([valueStart, i]);
    const valueEnd = i;
    i = skipWhitespace(text, i);
    if (text[i] === "}") return { insertAt: valueEnd, empty: false, seniorityValues };
    expect(text, i, ",");
    i = skipWhitespace(text, i + 1);
  }
}

function expect(text: string, i: number, char: string): void {
  if (text[i] !== char) throw new Error(`scanTopLevelObject: expected "${char}" at ${i}`);
}

function skipWhitespace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    // JSON whitespace: space, tab, LF, CR.
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else return i;
  }
}

/** From the opening quote to just after the closing one. */
function skipString(text: string, i: number): number {
  expect(text, i, '"');
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c /* \ */) j++;
    else if (c === 0x22 /* " */) return j + 1;
  }
  throw new Error("scanTopLevelObject: unterminated string");
}

function skipValue(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return skipString(text, i);
  if (first === "{" || first === "[") {
    let depth = 0;
    for (let j = i; j < text.length;) {
      const c = text[j];
      if (c === '"') {
        j = skipString(text, j);
        continue;
      }
      if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") depth--;
      j++;
      if (depth === 0) return j;
    }
    throw new Error("scanTopLevelObject: unbalanced brackets");
  }
  // A number or true/false/null: runs until a delimiter.
  let j = i;
  while (j < text.length && !",}] \t\n\r".includes(text[j]!)) j++;
  return j;
}
