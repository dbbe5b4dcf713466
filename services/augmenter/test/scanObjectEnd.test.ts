import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scanObjectEnd } from "../src/jsonl/scanObjectEnd.js";
import { scanTopLevelObject } from "../src/jsonl/scanTopLevelObject.js";
import { spacedJson } from "./support/spacedJson.js";

describe("scanObjectEnd", () => {
  it("finds what scanTopLevelObject finds, for any object without a top-level seniority (property)", () => {
    fc.assert(
      fc.property(
        fc
          .dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }))
          .filter((o) => !Object.hasOwn(o, "seniority")),
        fc.array(fc.constantFrom("", " ", "\t", "\r\n", "  "), { minLength: 1, maxLength: 6 }),
        (object, spaces) => {
          let n = 0;
          const text = `${spaces[0]}${spacedJson(object, () => spaces[n++ % spaces.length]!)}${spaces.at(-1)}`;
          expect(scanObjectEnd(text)).toEqual(scanTopLevelObject(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("puts the member after the last value, or after the brace of an empty object", () => {
    expect(scanObjectEnd('{"a": 1 }  ')).toEqual({ insertAt: 7, empty: false, seniorityValues: [] });
    expect(scanObjectEnd('{"a":{}}')).toEqual({ insertAt: 7, empty: false, seniorityValues: [] });
    expect(scanObjectEnd("\t{ \r\n}")).toEqual({ insertAt: 2, empty: true, seniorityValues: [] });
  });

  it("refuses a text that does not end with a brace", () => {
    expect(() => scanObjectEnd('{"a":1} x')).toThrow('scanObjectEnd: expected "}" at 8');
  });
});
