import { describe, expect, it } from "vitest";
import { SimStats } from "../src/SimStats.js";

const pairs = (...titles: string[]) => titles.map((title) => ({ company: "A", title }));

describe("SimStats with maxTrackedPairs", () => {
  it("counts exactly while within the bound", () => {
    const stats = new SimStats(3);
    expect(stats.record(pairs("CEO", "CFO", "CEO"), 0, 0)).toBe(1);
    expect(stats.snapshot()).toMatchObject({ distinctPairs: 2, duplicateInferences: 1, forgottenPairs: 0 });
  });

  it("forgets the oldest pair for each new one beyond the bound, and says so", () => {
    const stats = new SimStats(2);
    stats.record(pairs("CEO", "CFO", "COO"), 0, 0); // CEO forgotten when COO arrives
    expect(stats.snapshot()).toMatchObject({ distinctPairs: 3, duplicateInferences: 0, forgottenPairs: 1 });
    // CFO and COO are remembered: duplicates; CEO was forgotten: counted as new (forgets CFO).
    expect(stats.record(pairs("COO", "CEO", "CFO"), 1, 0)).toBe(1);
    expect(stats.snapshot()).toMatchObject({ distinctPairs: 5, duplicateInferences: 1, forgottenPairs: 3 });
    stats.reset();
    expect(stats.snapshot()).toMatchObject({ distinctPairs: 0, duplicateInferences: 0, forgottenPairs: 0 });
  });

  it("rejects a bound below 1", () => {
    expect(() => new SimStats(0)).toThrow("maxTrackedPairs must be ≥ 1, got 0");
  });
});
