import { pairKey } from "@seniority/pair-key";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PairKeyMemo } from "../src/core/PairKeyMemo.js";

describe("PairKeyMemo", () => {
  it("gives pairKey's key for any spelling, first time and remembered", () => {
    const memo = new PairKeyMemo("standard", 1000);
    fc.assert(
      fc.property(fc.string(), fc.string(), (company, title) => {
        const expected = pairKey(company, title, "standard");
        const first = memo.keyOf(company, title);
        const again = memo.keyOf(company, title);
        expect([first.key, again.key]).toEqual([expected, expected]);
        expect([first.hex, again.hex]).toEqual([expected.toString("hex"), expected.toString("hex")]);
        expect(memo.peek(company, title)).toBe(expected.toString("hex"));
      }),
    );
  });

  it("keys spellings by the exact strings: no confusion across the field boundary or modes", () => {
    const memo = new PairKeyMemo("casefold", 10);
    expect(memo.keyOf("ab", "c").hex).toBe(pairKey("ab", "c", "casefold").toString("hex"));
    expect(memo.peek("a", "bc")).toBeUndefined();
    expect(memo.keyOf("a", "bc").hex).toBe(pairKey("a", "bc", "casefold").toString("hex"));
    expect(memo.keyOf("ACME", "CTO").hex).toBe(memo.keyOf("acme", "cto").hex);
  });

  it("never gives one pair another's key, whatever the strings hold (\\0, digits, ':')", () => {
    const memo = new PairKeyMemo("exact", 10);
    expect(memo.keyOf("X\u0000Intern", "CEO").hex).toBe(
      pairKey("X\u0000Intern", "CEO", "exact").toString("hex"),
    );
    expect(memo.peek("X", "Intern\u0000CEO")).toBeUndefined();
    expect(memo.keyOf("X", "Intern\u0000CEO").hex).toBe(
      pairKey("X", "Intern\u0000CEO", "exact").toString("hex"),
    );
    expect(memo.keyOf("1:a", "b").hex).not.toBe(memo.keyOf("1", ":ab").hex);
  });

  it("holds at most two generations, keeping spellings in use", () => {
    const memo = new PairKeyMemo("standard", 2);
    memo.keyOf("A", "1");
    memo.keyOf("B", "2");
    memo.keyOf("C", "3"); // generation 1 (A, B) becomes the previous one
    expect(memo.size).toBe(3);
    expect(memo.peek("A", "1")).toBeDefined(); // found in the previous generation, copied forward
    memo.keyOf("D", "4"); // (C, A) becomes previous; B is dropped
    expect(memo.peek("B", "2")).toBeUndefined();
    expect(memo.size).toBeLessThanOrEqual(4);
  });

  it("remembers nothing with 0 entries, and rejects a bad size", () => {
    const memo = new PairKeyMemo("standard", 0);
    expect(memo.keyOf("A", "1").hex).toBe(pairKey("A", "1", "standard").toString("hex"));
    expect([memo.peek("A", "1"), memo.size]).toEqual([undefined, 0]);
    expect(() => new PairKeyMemo("standard", -1)).toThrow("maxEntries must be an integer >= 0, got -1");
  });
});
