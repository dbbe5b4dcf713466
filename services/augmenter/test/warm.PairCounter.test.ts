import { describe, expect, it } from "vitest";
import { PairCounter } from "../src/warm/PairCounter.js";

const pair = (i: number) => ({ company: `C${i}`, title: `T${i}` });

describe("PairCounter (Space-Saving)", () => {
  it("counts exactly while the pairs fit, and ranks by count then id", () => {
    const counter = new PairCounter(10);
    for (const [i, times] of [
      [1, 3],
      [2, 5],
      [3, 1],
      [4, 3],
    ] as const) {
      for (let n = 0; n < times; n++) counter.add(`id${i}`, pair(i));
    }
    expect([counter.total, counter.tracked]).toEqual([12, 4]);
    expect(counter.top(10)).toEqual([
      { pair: pair(2), count: 5, error: 0 },
      { pair: pair(1), count: 3, error: 0 },
      { pair: pair(4), count: 3, error: 0 },
      { pair: pair(3), count: 1, error: 0 },
    ]);
    expect(counter.top(2).map((c) => c.pair)).toEqual([pair(2), pair(1)]);
    expect(counter.top(10, 3).map((c) => c.pair)).toEqual([pair(2), pair(1), pair(4)]);
  });

  it("past its capacity keeps every heavy pair, its count bounded by count − error ≤ true ≤ count", () => {
    const counter = new PairCounter(50);
    const truth = new Map<number, number>();
    // 5 heavy pairs (each 1 line in 10) among 20,000 lines of 5,000 one-off pairs.
    for (let line = 0; line < 20_000; line++) {
      const id = line % 10 === 0 ? (line / 10) % 5 : 1000 + (line % 5000);
      truth.set(id, (truth.get(id) ?? 0) + 1);
      counter.add(`id${id}`, pair(id));
    }
    expect(counter.tracked).toBe(50);
    const top = counter.top(5);
    expect(top.map((c) => c.pair).sort((a, b) => a.company.localeCompare(b.company))).toEqual(
      [0, 1, 2, 3, 4].map(pair),
    );
    for (const counted of counter.top(50)) {
      const real = truth.get(Number(counted.pair.company.slice(1)))!;
      expect(counted.count - counted.error).toBeLessThanOrEqual(real);
      expect(counted.count).toBeGreaterThanOrEqual(real);
    }
    // One-off pairs never pass a minimum of 2 surely seen lines, however high their count climbed.
    expect(counter.top(50, 2).every((c) => Number(c.pair.company.slice(1)) < 5)).toBe(true);
    expect(counter.top(50, 2).length).toBe(5);
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new PairCounter(0)).toThrow("capacity must be a positive integer, got 0");
  });
});
