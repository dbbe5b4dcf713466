import { pairKey } from "@seniority/pair-key";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COMPACT_L1_SLOT_BYTES, CompactL1 } from "../src/core/CompactL1.js";

const hexOf = (i: number): string => pairKey(`Company ${i}`, `Title ${i}`, "standard").toString("hex");

describe("CompactL1", () => {
  it("keeps two keys that share a slot hash and differ only in the last bit of the fingerprint apart", () => {
    const l1 = new CompactL1({ maxEntries: 8, hash: () => 0 });
    // Bit 92 from the left: the lowest bit of hex digit 22 (the low 4 bits of digit 23 are not stored).
    const a = "0123456789abcdef01234560ffffffff";
    const b = "0123456789abcdef01234570ffffffff";
    l1.set(a, 2);
    expect([l1.get(a), l1.get(b)]).toEqual([2, undefined]);
    l1.set(b, 5);
    expect([l1.get(a), l1.get(b), l1.size]).toEqual([2, 5, 2]);
    expect(l1.delete(a)).toBe(true);
    expect([l1.get(a), l1.get(b), l1.size]).toEqual([undefined, 5, 1]);
  });

  it("finds every key of a collision chain after deletions in its middle (backward shift)", () => {
    // Three home slots, the chains overlapping and wrapping round the end of the table.
    const l1 = new CompactL1({ maxEntries: 20, hash: (w0) => (w0 & 3) + 25 });
    const keys = Array.from({ length: 20 }, (_, i) => hexOf(i));
    keys.forEach((hex, i) => l1.set(hex, 1 + (i % 7)));
    for (const i of [0, 5, 6, 13, 19]) expect(l1.delete(keys[i]!)).toBe(true);
    expect(keys.map((hex) => l1.peek(hex))).toEqual(
      keys.map((_, i) => ([0, 5, 6, 13, 19].includes(i) ? undefined : 1 + (i % 7))),
    );
    expect(l1.size).toBe(15);
  });

  it("evicts an entry never used before one used since the hand last passed (CLOCK)", () => {
    const l1 = new CompactL1({ maxEntries: 4 });
    for (const i of [0, 1, 2, 3]) l1.set(hexOf(i), 1);
    for (const i of [0, 1, 3]) l1.get(hexOf(i));
    l1.set(hexOf(4), 1);
    expect([0, 1, 2, 3, 4].map((i) => l1.peek(hexOf(i)))).toEqual([1, 1, undefined, 1, 1]);
    expect([l1.size, l1.evictions]).toEqual([4, 1]);
  });

  it("a peek is not a use: a peeked entry is still evicted first", () => {
    const l1 = new CompactL1({ maxEntries: 2 });
    l1.set(hexOf(0), 1);
    l1.set(hexOf(1), 1);
    l1.get(hexOf(0));
    l1.peek(hexOf(1));
    l1.set(hexOf(2), 1);
    expect([0, 1, 2].map((i) => l1.peek(hexOf(i)))).toEqual([1, undefined, 1]);
  });

  it("evicts even when every entry has been used (the hand clears bits and comes round)", () => {
    const l1 = new CompactL1({ maxEntries: 3 });
    for (const i of [0, 1, 2]) l1.set(hexOf(i), 1);
    for (const i of [0, 1, 2]) l1.get(hexOf(i));
    l1.set(hexOf(3), 4);
    expect([l1.size, l1.evictions, l1.peek(hexOf(3))]).toEqual([3, 1, 4]);
  });

  it("costs 12 bytes a slot and ≤ 16 bytes an entry at capacity (load ≤ 0.75)", () => {
    const l1 = new CompactL1({ maxEntries: 1_000_000 });
    expect(COMPACT_L1_SLOT_BYTES).toBe(12);
    expect(l1.bytes).toBe(l1.slots * 12);
    expect(l1.bytes / l1.maxEntries).toBeLessThanOrEqual(16.01);
  });

  it("stores a 92-bit fingerprint: keys differing only in their last 36 bits are one entry", () => {
    // The documented trade (≤ 4e-14 at 20M entries for MD5 keys): pinned so a change is deliberate.
    const l1 = new CompactL1({ maxEntries: 4 });
    l1.set("0123456789abcdef0123456000000000", 3);
    expect(l1.get("0123456789abcdef0123456fffffffff")).toBe(3);
    expect(l1.get("0123456789abcdef0123457000000000")).toBeUndefined();
  });

  it("keeps the level and reference bits apart from the fingerprint bits they share a word with", () => {
    // A fingerprint whose stored bits of the third word are all ones, next to one with them all zero.
    const l1 = new CompactL1({ maxEntries: 2, hash: () => 0 });
    const ones = "00000000000000000fffffff00000000";
    const zeros = "00000000000000000000000000000000";
    l1.set(ones, 7);
    l1.set(zeros, 1);
    expect([l1.get(ones), l1.get(zeros)]).toEqual([7, 1]); // both referenced now
    l1.set(ones, 2);
    expect([l1.peek(ones), l1.peek(zeros)]).toEqual([2, 1]);
    l1.set("ffffffff000000000000000000000000", 5); // the hand clears both bits, then evicts `ones`
    expect([l1.peek(ones), l1.peek(zeros), l1.size]).toEqual([undefined, 1, 2]);
  });

  it("accepts upper-case hex as the same key", () => {
    const l1 = new CompactL1({ maxEntries: 4 });
    l1.set(hexOf(1), 3);
    expect(l1.get(hexOf(1).toUpperCase())).toBe(3);
  });

  it("refuses keys that are not 32 hex digits and levels outside 1..7, holding nothing", () => {
    const l1 = new CompactL1({ maxEntries: 4 });
    expect(() => l1.set("abc", 1)).toThrow('an L1 key is 32 hex digits, got "abc"');
    expect(() => l1.get("0123456789abcdef0123456789abcdeg")).toThrow(
      'an L1 key is 32 hex digits, got "0123456789abcdef0123456789abcdeg"',
    );
    expect(() => l1.set("0123456789abcdef:123456789abcdef", 1)).toThrow("an L1 key is 32 hex digits");
    expect(() => l1.set(hexOf(1), 0)).toThrow("level must be an integer in 1..7, got 0");
    expect(() => l1.set(hexOf(1), 8)).toThrow("level must be an integer in 1..7, got 8");
    expect(() => new CompactL1({ maxEntries: 0 })).toThrow("maxEntries must be an integer >= 1, got 0");
    expect(l1.size).toBe(0);
  });

  it("under any mix of set, get and delete on colliding keys, never answers a wrong level", () => {
    const op = fc.record({
      kind: fc.constantFrom("set", "get", "delete"),
      key: fc.integer({ min: 0, max: 40 }),
      level: fc.integer({ min: 1, max: 7 }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.array(op, { maxLength: 300 }), (max, ops) => {
        // Four home slots for all keys: long, overlapping chains and constant shifting.
        const l1 = new CompactL1({ maxEntries: max, hash: (w0) => w0 & 3 });
        const truth = new Map<number, number>();
        for (const { kind, key, level } of ops) {
          const hex = hexOf(key);
          if (kind === "set") {
            l1.set(hex, level);
            truth.set(key, level);
          } else if (kind === "delete") {
            l1.delete(hex);
            truth.delete(key);
          } else {
            const got = l1.get(hex);
            if (got !== undefined) expect(got).toBe(truth.get(key));
          }
          expect(l1.size).toBeLessThanOrEqual(max);
        }
        let held = 0;
        for (let key = 0; key <= 40; key++) {
          const got = l1.peek(hexOf(key));
          if (got !== undefined) {
            held++;
            expect(got).toBe(truth.get(key));
          }
        }
        expect(held).toBe(l1.size);
        // Nothing set since the last delete is lost unless evicted to make room: below capacity, all kept.
        if (truth.size <= max && l1.evictions === 0) expect(held).toBe(truth.size);
      }),
    );
  });
});
