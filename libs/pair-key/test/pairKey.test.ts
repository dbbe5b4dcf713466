import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NORMALIZATION_MODES } from "../src/NormalizationMode.js";
import { pairKey } from "../src/pairKey.js";

const text = fc.string({ unit: "grapheme", maxLength: 30 });

describe("pairKey", () => {
  it("is 16 bytes: MD5 of uint32be(company bytes) ‖ company ‖ title", () => {
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 5]), Buffer.from("Acmé"), Buffer.from("CTO")]);
    const expected = createHash("md5").update(frame).digest();
    const key = pairKey("Acmé", "CTO", "exact");
    expect(key).toHaveLength(16);
    expect(key.equals(expected)).toBe(true);
  });

  it("is deterministic and keys the normalized pair", () => {
    fc.assert(
      fc.property(text, text, fc.constantFrom(...NORMALIZATION_MODES), (c, t, mode) => {
        expect(pairKey(c, t, mode).equals(pairKey(c, t, mode))).toBe(true);
      }),
    );
    expect(pairKey(" Acme\u00a0 Inc ", "ＣＴＯ", "standard")).toEqual(pairKey("Acme Inc", "CTO", "standard"));
    expect(pairKey(" Acme Inc", "CTO", "exact")).not.toEqual(pairKey("Acme Inc", "CTO", "exact"));
    expect(pairKey("ACME", "cto", "casefold")).toEqual(pairKey("acme", "CTO", "casefold"));
    expect(pairKey("ACME", "cto", "standard")).not.toEqual(pairKey("acme", "CTO", "standard"));
  });

  it("differs when the company/title boundary shifts", () => {
    expect(pairKey("ab", "c", "exact")).not.toEqual(pairKey("a", "bc", "exact"));
    expect(pairKey("", "abc", "standard")).not.toEqual(pairKey("abc", "", "standard"));
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-zA-Z0-9]{2,20}$/),
        fc.nat(),
        fc.nat(),
        fc.constantFrom(...NORMALIZATION_MODES),
        (s, a, b, mode) => {
          const i = a % (s.length + 1);
          const j = b % (s.length + 1);
          fc.pre(i !== j);
          const ki = pairKey(s.slice(0, i), s.slice(i), mode);
          const kj = pairKey(s.slice(0, j), s.slice(j), mode);
          expect(ki.equals(kj)).toBe(false);
        },
      ),
    );
  });

  it("gives distinct keys to distinct normalized pairs", () => {
    fc.assert(
      fc.property(text, text, text, text, (c1, t1, c2, t2) => {
        fc.pre(c1 !== c2 || t1 !== t2);
        expect(pairKey(c1, t1, "exact").equals(pairKey(c2, t2, "exact"))).toBe(false);
      }),
    );
  });

  it("refuses a lone surrogate (UTF-8 would write it as U+FFFD, another pair's key)", () => {
    expect(() => pairKey("Acme", "CEO\ud800", "exact")).toThrow(
      new TypeError("title is not well-formed Unicode"),
    );
    expect(() => pairKey("\udc00", "CEO", "standard")).toThrow(
      new TypeError("company is not well-formed Unicode"),
    );
    expect(pairKey("Acme", "CEO\ud83d\ude00", "exact")).toHaveLength(16); // a surrogate pair is fine
  });
});
