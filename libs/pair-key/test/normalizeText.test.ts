import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NORMALIZATION_MODES, type NormalizationMode } from "../src/NormalizationMode.js";
import { normalizeText } from "../src/normalizeText.js";
import type { PairField } from "../src/PairField.js";

/** Whitespace a reader would not tell apart from one space (tab, NBSP, em space, ideographic …). */
const space = fc.constantFrom(
  " ",
  "  ",
  "\t",
  "\n",
  "\r\n",
  "\u00a0",
  "\u2003",
  "\u3000",
  "\u202f",
  "\ufeff",
);
const spaces = fc.array(space, { minLength: 1, maxLength: 3 }).map((s) => s.join(""));
const word = fc.stringMatching(/^[A-Za-z0-9]{1,8}$/);
const words = fc.array(word, { minLength: 1, maxLength: 5 });
const field = fc.constantFrom("company", "title") as fc.Arbitrary<PairField>;
const anyText = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }));

/** ASCII → the fullwidth forms NFKC folds back (U+FF01..U+FF5E). */
function fullwidth(s: string): string {
  return [...s].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join("");
}

/** Re-spells `parts` with whitespace runs between and optionally around, and some fullwidth words. */
const respelled = (parts: string[]) =>
  fc
    .tuple(
      fc.array(spaces, { minLength: parts.length + 1, maxLength: parts.length + 1 }),
      fc.array(fc.boolean(), { minLength: parts.length, maxLength: parts.length }),
      fc.boolean(),
    )
    .map(([gaps, wide, pad]) => {
      const body = parts.map((p, i) => (wide[i] ? fullwidth(p) : p));
      const inner = body.map((p, i) => (i === 0 ? p : gaps[i] + p)).join("");
      return pad ? `${gaps[0]}${inner}${gaps[parts.length]}` : inner;
    });

describe("normalizeText", () => {
  it("is idempotent in every mode", () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...NORMALIZATION_MODES), field, (text, mode, f) => {
        const once = normalizeText(text, mode, f);
        expect(normalizeText(once, mode, f)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it("exact returns the text as given", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(normalizeText(text, "exact")).toBe(text);
      }),
    );
  });

  it("standard merges extra/odd whitespace, NBSP, fullwidth letters and padding", () => {
    fc.assert(
      fc.property(
        words.chain((ws) => fc.tuple(fc.constant(ws), respelled(ws))),
        ([ws, variant]) => {
          expect(normalizeText(variant, "standard")).toBe(ws.join(" "));
          expect(normalizeText(variant, "casefold")).toBe(ws.join(" ").toLowerCase());
        },
      ),
    );
  });

  it("case differences meet under casefold only", () => {
    const cased = words.filter((ws) => /[a-z]/i.test(ws.join("")));
    fc.assert(
      fc.property(cased, (ws) => {
        const lower = ws.join(" ").toLowerCase();
        const upper = ws.join(" ").toUpperCase();
        expect(normalizeText(upper, "casefold")).toBe(normalizeText(lower, "casefold"));
        expect(normalizeText(upper, "standard")).not.toBe(normalizeText(lower, "standard"));
      }),
    );
  });

  it("different words never meet, in any mode but cluster (whose point that is)", () => {
    fc.assert(
      fc.property(words, words, fc.constantFrom("exact", "standard", "casefold" as const), (a, b, mode) => {
        fc.pre(a.join(" ").toLowerCase() !== b.join(" ").toLowerCase());
        expect(normalizeText(a.join(" "), mode)).not.toBe(normalizeText(b.join(" "), mode));
      }),
    );
  });

  it("keeps a space between words but not inside one", () => {
    expect(normalizeText(" Senior\u00a0\u00a0Data\tEngineer ", "standard")).toBe("Senior Data Engineer");
    expect(normalizeText("DataEngineer", "standard")).not.toBe(normalizeText("Data Engineer", "standard"));
    expect(normalizeText("  \t ", "standard")).toBe("");
  });

  it("casefold lower-cases without full case folding (documented choices)", () => {
    const cf = (s: string) => normalizeText(s, "casefold");
    expect(cf("STRAẞE")).toBe("straße");
    expect(cf("STRASSE")).toBe("strasse");
    expect(cf("İstanbul")).toBe("i\u0307stanbul");
    expect(cf("ISTANBUL")).toBe("istanbul");
    expect(cf("ΟΔΟΣ")).toBe("οδος");
    expect(cf("Ｄｅｖ　ＯＰＳ")).toBe("dev ops");
  });

  it("rejects an unknown mode with a message naming it", () => {
    expect(() => normalizeText("x", "loose" as NormalizationMode, "title")).toThrow(
      'unknown normalization mode "loose" (expected one of: exact, standard, casefold, cluster)',
    );
  });

  it("cluster needs the field (a plain-JS caller that leaves it out is told)", () => {
    const untyped = normalizeText as (text: string, mode: string) => string;
    expect(() => untyped("Sr Engineer", "cluster")).toThrow(
      'the "cluster" normalization needs the field: "company" or "title"',
    );
    expect(normalizeText("Sr Engineer", "cluster", "title")).toBe("senior engineer");
    expect(normalizeText("Sr Engineer", "cluster", "company")).toBe("sr engineer");
  });
});
