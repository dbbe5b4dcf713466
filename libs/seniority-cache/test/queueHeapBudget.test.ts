import { describe, expect, it } from "vitest";
import { queueHeapBudget, queueHeapProblem } from "../src/core/queueHeapBudget.js";

const MiB = 2 ** 20;

describe("queueHeapBudget", () => {
  it("plans 3/4 of the heap: base 64 MiB, 160 B an lru L1 entry, 2 × memo × 250 B, then 2 KB a queued item", () => {
    const budget = queueHeapBudget({
      l1Entries: 200_000,
      l1: "lru",
      keyMemoEntries: 100_000,
      heapLimitBytes: 320 * MiB,
    });
    // 240 MiB − 64 MiB − 32 MB (L1) − 50 MB (memo) = 102,549,376 B → 50,072 items
    expect(budget.queueItems).toBe(50_072);
    expect(budget.defaultMaxQueued).toBe(45_520); // 1/1.1 of it: the interactive lane gets a tenth more
    expect(queueHeapBudget({ l1Entries: 1, heapLimitBytes: 64 * 1024 * MiB }).defaultMaxQueued).toBe(
      1_000_000,
    );
    expect(queueHeapBudget({ l1Entries: 1_000_000, l1: "lru", heapLimitBytes: 128 * MiB }).queueItems).toBe(
      0,
    );
  });

  it("charges the heap nothing for a compact L1 (its table is an ArrayBuffer outside the V8 heap)", () => {
    // The year's 20M pairs in one replica's L1 on a 4 GiB heap: 3 GiB − 64 MiB − 50 MB (memo) left
    // for the queue = 1,515,681 items (lru's 160 B an entry would claim 3.2 GB of it: none left).
    const year = { l1Entries: 20_000_000, keyMemoEntries: 100_000, heapLimitBytes: 4096 * MiB };
    expect(queueHeapBudget(year).queueItems).toBe(1_515_681);
    expect(queueHeapBudget({ ...year, l1: "compact" }).queueItems).toBe(1_515_681);
    expect(queueHeapBudget({ ...year, l1Entries: 1 }).queueItems).toBe(1_515_681);
    expect(queueHeapBudget({ ...year, l1: "lru" }).queueItems).toBe(0);
  });

  it("names the flags when a queue cannot fit, and nothing when it can", () => {
    const budget = queueHeapBudget({ l1Entries: 200_000, l1: "lru", heapLimitBytes: 320 * MiB });
    expect(queueHeapProblem(budget.queueItems, budget)).toBeUndefined();
    expect(queueHeapProblem(220_000, budget)).toBe(
      "--max-queued: 220000 queued items (both lanes) need ~430 MB of heap (2048 bytes each), but the heap " +
        `limit of 320 MB (node --max-old-space-size) leaves room for ${budget.queueItems} beside L1 ` +
        "(--l1-entries); lower --max-queued / --max-queued-interactive or raise the heap limit",
    );
  });
});
