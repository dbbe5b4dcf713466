import { describe, expect, it } from "vitest";
import { PairLevelCache } from "../src/file/PairLevelCache.js";

const pair = (n: number) => ({ company: `c${n % 3}`, title: `t${n}` });

describe("PairLevelCache", () => {
  it("answers what was set, by exact company and title", () => {
    const cache = new PairLevelCache(10);
    cache.set({ company: "Acme", title: "CFO" }, 7);
    expect(cache.get({ company: "Acme", title: "CFO" })).toBe(7);
    expect(cache.get({ company: "Acme", title: "cfo" })).toBeUndefined();
    expect(cache.get({ company: "AcmeCFO", title: "" })).toBeUndefined();
    cache.set({ company: "Acme", title: "CFO" }, 6);
    expect([cache.get({ company: "Acme", title: "CFO" }), cache.size]).toEqual([6, 1]);
  });

  it("holds at most maxEntries, dropping the least recently used generation", () => {
    const cache = new PairLevelCache(4);
    for (let n = 0; n < 4; n++) cache.set(pair(n), n + 1); // young [2, 3], old [0, 1]
    expect(cache.size).toBe(4);
    // Used: moves to the young generation, which was full: [2, 3] become old and 1 is dropped.
    expect(cache.get(pair(0))).toBe(1);
    cache.set(pair(4), 5); // young [0, 4]
    expect(cache.size).toBe(4);
    cache.set(pair(5), 6); // young full again: [0, 4] become old, [2, 3] are dropped
    expect([0, 1, 2, 3, 4, 5].map((n) => cache.get(pair(n)))).toEqual([
      1,
      undefined,
      undefined,
      undefined,
      5,
      6,
    ]);
    expect(cache.size).toBeLessThanOrEqual(4);
  });

  it("keeps any entry used within the last maxEntries / 2 insertions", () => {
    const cache = new PairLevelCache(100);
    cache.set(pair(-1), 3);
    for (let n = 0; n < 10_000; n++) {
      cache.set(pair(n), 1);
      if (n % 50 === 0) expect(cache.get(pair(-1))).toBe(3);
      expect(cache.size).toBeLessThanOrEqual(100);
    }
  });

  it("rejects a bound that is not a positive integer", () => {
    expect(() => new PairLevelCache(0)).toThrow("maxEntries must be a positive integer, got 0");
  });
});
