import { pairKey } from "@seniority/pair-key";
import { LRUCache } from "lru-cache";
import { describe, expect, it } from "vitest";
import { CompactL1 } from "../src/core/CompactL1.js";
import type { L1Cache } from "../src/core/L1Cache.js";

/** What every L1 must do, run against lru-cache (the L1 before CompactL1) and CompactL1. */
const IMPLEMENTATIONS: [string, (maxEntries: number) => L1Cache][] = [
  ["lru-cache LRUCache", (max) => new LRUCache<string, number>({ max })],
  ["CompactL1", (maxEntries) => new CompactL1({ maxEntries })],
  // Every key on one probe chain: the worst case of the open-addressing table must still be exact.
  ["CompactL1, all keys colliding", (maxEntries) => new CompactL1({ maxEntries, hash: () => 7 })],
];

const hexOf = (i: number): string => pairKey(`Company ${i}`, `Title ${i}`, "standard").toString("hex");
const levelOf = (i: number): number => 1 + (i % 7);

describe.each(IMPLEMENTATIONS)("L1 contract: %s", (_name, create) => {
  it("answers what was set, and nothing for keys never set", () => {
    const l1 = create(100);
    for (let i = 0; i < 50; i++) l1.set(hexOf(i), levelOf(i));
    expect(Array.from({ length: 50 }, (_, i) => l1.get(hexOf(i)))).toEqual(
      Array.from({ length: 50 }, (_, i) => levelOf(i)),
    );
    expect(Array.from({ length: 50 }, (_, i) => l1.peek(hexOf(i + 50)))).toEqual(
      new Array(50).fill(undefined),
    );
    expect(l1.size).toBe(50);
  });

  it("replaces a level on a second set, without growing", () => {
    const l1 = create(10);
    l1.set(hexOf(1), 3);
    l1.set(hexOf(1), 6);
    expect([l1.get(hexOf(1)), l1.size]).toEqual([6, 1]);
  });

  it("deletes: true once, then false, and the key is gone", () => {
    const l1 = create(10);
    for (let i = 0; i < 5; i++) l1.set(hexOf(i), levelOf(i));
    expect([l1.delete(hexOf(2)), l1.delete(hexOf(2)), l1.delete(hexOf(99))]).toEqual([true, false, false]);
    expect([0, 1, 2, 3, 4].map((i) => l1.peek(hexOf(i)))).toEqual([1, 2, undefined, 4, 5]);
    expect(l1.size).toBe(4);
  });

  it("never holds more than its capacity, and what it holds is right", () => {
    const l1 = create(64);
    for (let i = 0; i < 1000; i++) {
      l1.set(hexOf(i), levelOf(i));
      expect(l1.size).toBe(Math.min(i + 1, 64));
    }
    let held = 0;
    for (let i = 0; i < 1000; i++) {
      const level = l1.peek(hexOf(i));
      if (level !== undefined) {
        held++;
        expect(level).toBe(levelOf(i));
      }
    }
    expect(held).toBe(64);
  });

  it("keeps a key used since it was set over keys set once (the hot set survives a scan)", () => {
    const l1 = create(100);
    for (let i = 0; i < 100; i++) l1.set(hexOf(i), levelOf(i));
    const hot = [3, 17, 42, 99];
    for (const i of hot) expect(l1.get(hexOf(i))).toBe(levelOf(i));
    for (let i = 100; i < 150; i++) l1.set(hexOf(i), levelOf(i)); // 50 new keys: half must go
    expect(hot.map((i) => l1.peek(hexOf(i)))).toEqual(hot.map(levelOf));
  });
});
