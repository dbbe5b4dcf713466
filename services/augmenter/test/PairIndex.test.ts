import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PairIndex } from "../src/PairIndex.js";

// Characters that break naive framings: separators, digits and ":", controls, a surrogate pair, U+FFFD.
const tricky = fc.string({
  unit: fc.constantFrom(
    "\u0000",
    ":",
    "1",
    "2",
    "\u001f",
    "\n",
    "\t",
    " ",
    "|",
    "X",
    "é",
    "\u{1F600}",
    "\uFFFD",
  ),
  maxLength: 8,
});

describe("PairIndex", () => {
  it("gets what was set, by exact company and title, and counts distinct pairs", () => {
    const index = new PairIndex<number>();
    expect(index.get("Acme", "CFO")).toBeUndefined();
    index.set("Acme", "CFO", 7);
    index.set("Acme", "CEO", 6);
    index.set("Acme", "CFO", 5);
    expect([
      index.get("Acme", "CFO"),
      index.get("Acme", "CEO"),
      index.get("Acme", "cfo"),
      index.size,
    ]).toEqual([5, 6, undefined, 2]);
    expect(index.has("Acme", "CEO")).toBe(true);
    expect(index.has("AcmeCEO", "")).toBe(false);
  });

  it("keeps ('X\\0Intern', 'CEO') and ('X', 'Intern\\0CEO') apart (issue 9: a joined key made them one)", () => {
    const index = new PairIndex<number>();
    index.set("X\u0000Intern", "CEO", 7);
    index.set("X", "Intern\u0000CEO", 1);
    expect([index.get("X\u0000Intern", "CEO"), index.get("X", "Intern\u0000CEO"), index.size]).toEqual([
      7, 1, 2,
    ]);
    index.set("a|b", "c", 3);
    index.set("a", "b|c", 4);
    index.set("a\tb", "c", 5);
    expect([
      index.get("a|b", "c"),
      index.get("a", "b|c"),
      index.get("a\tb", "c"),
      index.get("a", "b\tc"),
    ]).toEqual([3, 4, 5, undefined]);
  });

  it("never merges distinct pairs, wherever the boundary between company and title falls", () => {
    fc.assert(
      fc.property(tricky, tricky, tricky, tricky, (c1, t1, c2, t2) => {
        fc.pre(c1 !== c2 || t1 !== t2);
        const index = new PairIndex<number>();
        index.set(c1, t1, 1);
        index.set(c2, t2, 2);
        expect([index.get(c1, t1), index.get(c2, t2), index.size]).toEqual([1, 2, 2]);
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(tricky, fc.nat(), fc.nat(), (s, a, b) => {
        const i = a % (s.length + 1);
        const j = b % (s.length + 1);
        fc.pre(i !== j);
        const index = new PairIndex<string>();
        index.set(s.slice(0, i), s.slice(i), "i");
        expect(index.get(s.slice(0, j), s.slice(j))).toBeUndefined();
      }),
      { numRuns: 2_000 },
    );
  });

  it("delete removes one pair (false when absent) and drops an emptied company; clear empties", () => {
    const index = new PairIndex<number>();
    index.set("Acme", "CFO", 1);
    index.set("Acme", "CEO", 2);
    expect(index.delete("Acme", "CTO")).toBe(false);
    expect(index.delete("Other", "CFO")).toBe(false);
    expect(index.delete("Acme", "CFO")).toBe(true);
    expect(index.delete("Acme", "CFO")).toBe(false);
    expect([index.get("Acme", "CFO"), index.get("Acme", "CEO"), index.size]).toEqual([undefined, 2, 1]);
    expect(index.delete("Acme", "CEO")).toBe(true);
    expect(index.size).toBe(0);
    index.set("Acme", "CEO", 3);
    expect(index.get("Acme", "CEO")).toBe(3);
    index.clear();
    expect([index.get("Acme", "CEO"), index.size]).toEqual([undefined, 0]);
  });
});
