import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalDirObjectStore } from "@seniority/object-store";
import { describe, expect, it } from "vitest";
import { rareWindowFlag } from "../src/cli/rareWindowFlag.js";
import { RarePairCounts } from "../src/rare/RarePairCounts.js";
import { RarePairPolicy } from "../src/rare/RarePairPolicy.js";

const pair = (n: number) => ({ company: `Co ${n}`, title: "Engineer" });

describe("RarePairCounts", () => {
  it("counts files per pair from its first sighting, forgets it `span` later, and never exceeds maxPairs", () => {
    const counts = new RarePairCounts(2, 10);
    expect(counts.add("a", "x", 0)).toBe(1);
    expect(counts.add("a", "x", 5)).toBe(2);
    expect(counts.add("b", "y", 6)).toBe(1);
    expect(counts.add("c", "z", 6)).toBeUndefined(); // full: not counted (the caller infers it at once)
    counts.expire(9);
    expect(counts.size).toBe(2);
    counts.expire(10); // a's first sighting (0) is a span old
    expect(counts.size).toBe(1);
    expect(counts.add("a", "x", 10)).toBe(1); // a new count
    expect(counts.add("b", "y", 11)).toBe(2);
  });
});

describe("RarePairPolicy", () => {
  const withQueue = async (test: (dir: LocalDirObjectStore) => Promise<void>) => {
    const root = mkdtempSync(join(tmpdir(), "augmenter-rare-policy-"));
    const output = new LocalDirObjectStore(root);
    try {
      await test(output);
    } finally {
      await output.close();
      rmSync(root, { recursive: true, force: true });
    }
  };

  it("positions files by their names' timestamps; a file is due when the stream or the wall clock is a window past it", () =>
    withQueue(async (output) => {
      let wall = 5_000_000;
      const policy = new RarePairPolicy(
        output,
        { minCount: 2, window: { kind: "duration", ms: 120_000 } },
        undefined,
        () => wall,
      );
      const first = policy.begin("1721183940.jsonl");
      expect(first.position).toBe(1721183940_000);
      expect([first.defers(pair(1)), first.defers(pair(1)), first.defers(pair(2))]).toEqual([
        true,
        true,
        true,
      ]);
      first.pendingLines = 3;
      await policy.enqueue("1721183940.jsonl", first);
      const second = policy.begin("1721184000.jsonl"); // 60 s later: pair 1 seen a second time
      expect([second.defers(pair(1)), second.defers(pair(3))]).toEqual([false, true]);
      await policy.enqueue("1721184000.jsonl", second);
      expect(policy.dueKeys()).toEqual([]);
      policy.begin("1721184060.jsonl"); // 120 s after the first
      expect(policy.dueKeys()).toEqual(["1721183940.jsonl"]);
      wall += 120_000; // a quiet stream: the wall clock moves the rest
      expect(policy.dueKeys()).toEqual(["1721183940.jsonl", "1721184000.jsonl"]);

      // A restart reads the queue back: the files are queued again and their pairs counted.
      const restarted = new RarePairPolicy(output, {
        minCount: 2,
        window: { kind: "duration", ms: 600_000 },
      });
      expect(await restarted.load()).toBe(2);
      expect(restarted.queuedKeys()).toEqual(["1721183940.jsonl", "1721184000.jsonl"]);
      expect(restarted.countedPairs).toBe(3);
      const later = restarted.begin("1721184120.jsonl");
      expect([later.defers(pair(1)), later.defers(pair(2)), later.defers(pair(4))]).toEqual([
        false,
        false,
        true,
      ]);
      await restarted.dequeue("1721183940.jsonl");
      expect(restarted.queuedKeys()).toEqual(["1721184000.jsonl"]);
      expect(await restarted.queue.read("1721183940.jsonl")).toBeUndefined();
    }));

  it("never defers beyond maxPairs, and refuses a min count below 2", () =>
    withQueue(async (output) => {
      const policy = new RarePairPolicy(output, {
        minCount: 2,
        window: { kind: "files", files: 5 },
        maxPairs: 1,
      });
      const file = policy.begin("a.jsonl");
      expect(file.position).toBe(1);
      expect([file.defers(pair(1)), file.defers(pair(2))]).toEqual([true, false]);
      expect(file.deferred).toEqual([pair(1)]);
      expect(() => new RarePairPolicy(output, { minCount: 1, window: { kind: "files", files: 5 } })).toThrow(
        "minCount must be an integer ≥ 2, got 1",
      );
    }));
});

describe("--rare-window", () => {
  it.each([
    ["1h", { kind: "duration", ms: 3_600_000 }],
    ["90s", { kind: "duration", ms: 90_000 }],
    ["60files", { kind: "files", files: 60 }],
    ["1 file", { kind: "files", files: 1 }],
  ])("%s", (value, expected) => expect(rareWindowFlag(value)).toEqual(expected));

  it("refuses a window under a second", () =>
    expect(() => rareWindowFlag("500ms")).toThrow('expected a window of at least 1s, got "500ms".'));
});
