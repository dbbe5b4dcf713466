import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BadLineReason, parseLine, type ParsedLine } from "../src/parse/parseLine.js";
import { spliceSeniority } from "../src/jsonl/spliceSeniority.js";

const parse = (text: string | Buffer, max = 1_048_576): ParsedLine =>
  parseLine({ kind: "line", number: 7, bytes: typeof text === "string" ? Buffer.from(text) : text }, max);
function augment(text: string, level = 4): string {
  const parsed = parse(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return spliceSeniority(parsed.text, parsed.scan, level);
}

describe("parseLine", () => {
  it.each([
    ["", BadLineReason.empty],
    ["   ", BadLineReason.notJson],
    ['{"company":"a","title":"b"', BadLineReason.notJson],
    ["[1,2]", BadLineReason.notObject],
    ['"text"', BadLineReason.notObject],
    ["null", BadLineReason.notObject],
    ['{"title":"b"}', "company missing"],
    ['{"company":null,"title":"b"}', "company not a string"],
    ['{"company":"a"}', "title missing"],
    ['{"company":"a","title":7}', "title not a string"],
    ['{"company":"a","title":{"x":"y"}}', "title not a string"],
    [
      `{"company":"${"c".repeat(40_000)}","title":"${"t".repeat(30_000)}"}`,
      "company and title over 65536 bytes",
    ],
  ])("case %# is bad: %s", (text, reason) => {
    const parsed = parse(text);
    expect(parsed).toMatchObject({ ok: false, number: 7, reason });
  });

  it("rejects invalid UTF-8 and keeps a lossy excerpt", () => {
    const bytes = Buffer.concat([
      Buffer.from('{"company":"a'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('","title":"b"}'),
    ]);
    expect(parse(bytes)).toEqual({
      ok: false,
      number: 7,
      reason: "invalid UTF-8",
      raw: '{"company":"a\ufffd(","title":"b"}',
    });
  });

  it("reports an over-long line with its size and a 1 KiB excerpt cut on a character boundary", () => {
    const head = Buffer.from("é".repeat(600)); // 1200 bytes
    const parsed = parseLine({ kind: "too-long", number: 3, length: 5_000_000, head }, 1_048_576);
    expect(parsed).toEqual({
      ok: false,
      number: 3,
      reason: "line over 1048576 bytes (5000000 bytes)",
      raw: "é".repeat(512),
    });
  });

  it("reads company and title of a good line", () => {
    expect(parse('{"company":"Acme","title":"CFO","n":1}')).toMatchObject({
      ok: true,
      pair: { company: "Acme", title: "CFO" },
    });
  });
});

describe("spliceSeniority", () => {
  it("inserts compactly after the last member, keeping spacing and escapes", () => {
    expect(augment('{"url": "x", "company": "A\\"b", "title": "\\u00e9" }  ', 3)).toBe(
      '{"url": "x", "company": "A\\"b", "title": "\\u00e9","seniority":3 }  ',
    );
    expect(augment('\t{"company":"a","title":"b"}', 1)).toBe('\t{"company":"a","title":"b","seniority":1}');
  });

  it("replaces an existing top-level seniority in place, whatever its old value", () => {
    expect(augment('{"seniority": 2, "company":"a","title":"b"}', 5)).toBe(
      '{"seniority": 5, "company":"a","title":"b"}',
    );
    expect(augment('{"company":"a","seniority" :{"x":[1,"}"]} ,"title":"b"}', 5)).toBe(
      '{"company":"a","seniority" :5 ,"title":"b"}',
    );
    expect(augment('{"company":"a","title":"b","seni\\u006frity":"old"}', 6)).toBe(
      '{"company":"a","title":"b","seni\\u006frity":6}',
    );
  });

  it("replaces every duplicate, so any JSON reader sees the new level", () => {
    const out = augment('{"seniority":1,"company":"a","title":"b","seniority":2}', 7);
    expect(out).toBe('{"seniority":7,"company":"a","title":"b","seniority":7}');
  });

  it("leaves nested seniority keys and look-alike strings alone", () => {
    expect(
      augment(
        '{"company":"a","title":"\\"seniority\\":1","meta":{"seniority":1},"list":[{"seniority":2}]}',
        4,
      ),
    ).toBe(
      '{"company":"a","title":"\\"seniority\\":1","meta":{"seniority":1},"list":[{"seniority":2}],"seniority":4}',
    );
  });
});

/** Serializes with random whitespace and escapes, remembering where a top-level seniority value sits. */
function serialize(value: unknown, ws: () => string, asciiOnly: boolean): string {
  if (typeof value === "string") {
    const json = JSON.stringify(value);
    return asciiOnly
      ? json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
      : json;
  }
  if (Array.isArray(value))
    return `[${ws()}${value.map((v) => serialize(v, ws, asciiOnly)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (value && typeof value === "object") {
    const members = Object.entries(value).map(
      ([k, v]) => `${serialize(k, ws, asciiOnly)}${ws()}:${ws()}${serialize(v, ws, asciiOnly)}`,
    );
    return `{${ws()}${members.join(`${ws()},${ws()}`)}${ws()}}`;
  }
  return JSON.stringify(value);
}

const line = fc.record({
  entries: fc.array(fc.tuple(fc.string({ unit: "binary" }), fc.jsonValue({ maxDepth: 2 })), { maxLength: 6 }),
  company: fc.string({ unit: "binary" }),
  title: fc.string({ unit: "binary" }),
  oldSeniority: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
  order: fc.nat(),
  spaces: fc.array(fc.constantFrom("", " ", "\t", "  ", "\r\n"), { minLength: 1, maxLength: 8 }),
  asciiOnly: fc.boolean(),
  level: fc.integer({ min: 1, max: 7 }),
});

describe("line codec properties (fast-check)", () => {
  it("output parses to the input object plus seniority; the rest of the text is untouched", () => {
    fc.assert(
      fc.property(line, ({ entries, company, title, oldSeniority, order, spaces, asciiOnly, level }) => {
        const members = entries.filter(([k]) => !["company", "title", "seniority"].includes(k));
        members.splice(order % (members.length + 1), 0, ["company", company]);
        members.splice((order >> 3) % (members.length + 1), 0, ["title", title]);
        if (oldSeniority !== undefined)
          members.splice((order >> 6) % (members.length + 1), 0, ["seniority", oldSeniority]);
        let n = 0;
        const ws = (): string => spaces[n++ % spaces.length]!;
        // Top level by hand, so the old seniority value's span is known without the scanner.
        let text = `{${ws()}`;
        let span: [number, number] | undefined;
        members.forEach(([key, value], index) => {
          if (index > 0) text += `${ws()},${ws()}`;
          text += `${serialize(key, ws, asciiOnly)}${ws()}:${ws()}`;
          const start = text.length;
          text += serialize(value, ws, asciiOnly);
          if (key === "seniority") span = [start, text.length];
        });
        text += `${ws()}}`;

        const out = augment(text, level);
        const input = JSON.parse(text) as Record<string, unknown>;
        expect(JSON.parse(out)).toEqual({ ...input, seniority: level });
        if (span) {
          expect(out).toBe(text.slice(0, span[0]) + String(level) + text.slice(span[1]));
        } else {
          const close = text.lastIndexOf("}");
          const at = text.slice(0, close).trimEnd().length;
          expect(out).toBe(`${text.slice(0, at)},"seniority":${level}${text.slice(at)}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("JSON.stringify of any object with string company/title round-trips (fc.object)", () => {
    const object = fc
      .tuple(fc.object({ values: [fc.jsonValue()] }), fc.string(), fc.string())
      .map(([o, company, title]) => ({ ...(o as Record<string, unknown>), company, title }));
    fc.assert(
      fc.property(object, fc.integer({ min: 1, max: 7 }), (record, level) => {
        const text = JSON.stringify(record);
        const out = augment(text, level);
        expect(JSON.parse(out)).toEqual({ ...(JSON.parse(text) as object), seniority: level });
        if (!Object.hasOwn(record, "seniority"))
          expect(out).toBe(`${text.slice(0, -1)},"seniority":${level}}`);
      }),
      { numRuns: 300 },
    );
  });
});
