import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanJsonLine, type JsonLineScan } from "../src/jsonl/scanJsonLine.js";
import { scanTopLevelObject } from "../src/jsonl/scanTopLevelObject.js";
import { spacedJson } from "./support/spacedJson.js";

const MAX_PAIR = 65_536;

function scan(text: string): JsonLineScan | undefined {
  const bytes = Buffer.from(text);
  const out: JsonLineScan = { companyStart: 0, companyEnd: 0, titleStart: 0, titleEnd: 0, insertAt: 0 };
  return scanJsonLine(bytes, 0, bytes.length, MAX_PAIR, out) ? out : undefined;
}

/**
 * The soundness contract: a scan that vouches for a line agrees with JSON.parse — the text is a
 * JSON object without a top-level seniority, and company, title and the insert point are JSON.parse's.
 */
function expectAgreesWithJsonParse(text: string): boolean {
  const found = scan(text);
  if (!found) return false;
  const bytes = Buffer.from(text);
  const value = JSON.parse(text) as Record<string, unknown>; // throws if the scan accepted bad JSON
  expect(typeof value === "object" && value !== null && !Array.isArray(value)).toBe(true);
  expect(Object.hasOwn(value, "seniority")).toBe(false);
  expect(bytes.toString("utf8", found.companyStart, found.companyEnd)).toBe(value["company"]);
  expect(bytes.toString("utf8", found.titleStart, found.titleEnd)).toBe(value["title"]);
  const { insertAt } = scanTopLevelObject(text);
  expect(found.insertAt).toBe(Buffer.byteLength(text.slice(0, insertAt)));
  return true;
}

const whitespace = fc.array(fc.constantFrom("", " ", "\t", "\r", "  "), { minLength: 1, maxLength: 5 });
const posting = fc.record(
  {
    url: fc.webUrl(),
    company: fc.string({ unit: "grapheme", maxLength: 12 }),
    title: fc.string({ unit: "grapheme", maxLength: 20 }),
    location: fc.string({ maxLength: 10 }),
    scraped_on: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
    extra: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: [] },
);

describe("scanJsonLine", () => {
  it("vouches for the usual posting, agreeing with JSON.parse (property)", () => {
    fc.assert(
      fc.property(posting, whitespace, (record, spaces) => {
        let n = 0;
        const text = spacedJson(record, () => spaces[n++ % spaces.length]!);
        const accepted = expectAgreesWithJsonParse(text);
        // The common shape is always taken: strings with nothing to escape, both present.
        const plain = (s: unknown) => typeof s === "string" && JSON.stringify(s) === `"${s}"`;
        if (plain(record.company) && plain(record.title)) expect(accepted).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("never vouches for a line JSON.parse would reject or read otherwise, however mangled (property)", () => {
    const edit = fc.record({
      at: fc.nat(),
      remove: fc.nat(3),
      insert: fc.constantFrom(
        "",
        '"',
        "\\",
        ",",
        ":",
        "{",
        "}",
        "[",
        "]",
        "0",
        "-",
        ".",
        "e",
        "u",
        "\t",
        "\u0001",
        " ",
        "x",
        "é",
        "n",
        "t",
      ),
    });
    fc.assert(
      fc.property(posting, fc.array(edit, { minLength: 1, maxLength: 3 }), (record, edits) => {
        let text = JSON.stringify(record);
        for (const { at, remove, insert } of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + remove);
        }
        // As read from a file: valid UTF-8 (an edit may have split a surrogate pair).
        text = Buffer.from(text).toString("utf8");
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          expect(scan(text)).toBeUndefined();
          return;
        }
        const record2 = parsed as Record<string, unknown> | null;
        const good =
          typeof record2 === "object" &&
          record2 !== null &&
          !Array.isArray(record2) &&
          typeof record2["company"] === "string" &&
          typeof record2["title"] === "string";
        if (!good) expect(scan(text)).toBeUndefined();
        else expectAgreesWithJsonParse(text);
      }),
      { numRuns: 3000 },
    );
  });

  it("reads only its own range of a larger buffer (property)", () => {
    fc.assert(
      fc.property(posting, fc.nat(), (record, cut) => {
        const text = JSON.stringify({ ...record, company: "a", title: "b", x: "\u1234" });
        const bytes = Buffer.from(text);
        const end = cut % (bytes.length + 1);
        const out: JsonLineScan = { companyStart: 0, companyEnd: 0, titleStart: 0, titleEnd: 0, insertAt: 0 };
        const alone = Buffer.from(bytes.subarray(0, end)); // the same bytes with nothing after them
        const inPlace = scanJsonLine(bytes, 0, end, MAX_PAIR, out) ? { ...out } : undefined;
        expect(inPlace).toEqual(scanJsonLine(alone, 0, end, MAX_PAIR, out) ? { ...out } : undefined);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    '{"company":"a","title":"b","n":01}',
    '{"company":"a","title":"b","n":1.}',
    '{"company":"a","title":"b","n":-}',
    '{"company":"a","title":"b","n":1e}',
    '{"company":"a","title":"b","n":+1}',
    '{"company":"a","title":"b","n":.5}',
    '{"company":"a","title":"b","n":tru}',
    '{"company":"a","title":"b","n":"\\u12"}',
    '{"company":"a","title":"b","n":"\\x"}',
    '{"company":"a","title":"b","n":"tab\there"}',
    '{"company":"a","title":"b",}',
    '{"company":"a","title":"b","l":[1,]}',
    '{company:"a","title":"b"}',
    "{'company':'a','title':'b'}",
    '{"company":"a","title":"b"} x',
    '\ufeff{"company":"a","title":"b"}',
    '{"company":"a","title":"b"',
  ])("refuses invalid JSON: %s", (text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(scan(text)).toBeUndefined();
  });

  it.each([
    ['{"company":"a\\"b","title":"c"}', "an escape in company"],
    ['{"company":"a","title":"b","seniority":3}', "an existing seniority"],
    ['{"company":"a","title":"b","seni\\u006frity":3}', "an escaped key"],
    ['{"comp\\u0061ny":"x","company":"a","title":"b"}', "an escaped key"],
    ['{"company":"a","title":7}', "a title not a string"],
    ['{"title":"b"}', "no company"],
    [`{"company":"${"c".repeat(40_000)}","title":"${"t".repeat(30_000)}"}`, "a pair over the limit"],
    [`{"company":"a","title":"b","n":${"[".repeat(70)}${"]".repeat(70)}}`, "deep nesting"],
    ['[{"company":"a","title":"b"}]', "not an object"],
  ])("leaves %s to JSON.parse (%s)", (text) => {
    expect(scan(text)).toBeUndefined();
  });

  it("takes the last of repeated members and whitespace JSON allows, CR included", () => {
    const text = ' \r{"company":"x",\r"title" :"b", "company": "Zoë 日本" ,"n":[1,{"a":null}] }\t';
    expect(expectAgreesWithJsonParse(text)).toBe(true);
  });
});
