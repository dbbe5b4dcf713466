import { ManualClock } from "@seniority/clock";
import type { SeniorityPair } from "@seniority/seniority-model";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalDirObjectStore } from "@seniority/object-store";
import { describe, expect, it } from "vitest";
import { runWarm } from "../src/warm/runWarm.js";
import { RatePacer } from "../src/warm/RatePacer.js";
import { sendPlan } from "../src/warm/sendPlan.js";

const plan = (n: number): SeniorityPair[] =>
  Array.from({ length: n }, (_, i) => ({ company: `C${i}`, title: "T" }));

/** A resolver that records when (on the clock) and how many items each call carried. */
function recording(clock: ManualClock) {
  const calls: [number, number][] = [];
  return {
    calls,
    resolver: {
      resolve: async (pairs: readonly SeniorityPair[]) => (
        calls.push([clock.now(), pairs.length]),
        pairs.map(() => 2)
      ),
      close: async () => {},
    },
  };
}

/** Runs sendPlan to its end, advancing the manual clock whenever the pacer sleeps. */
async function drive(clock: ManualClock, run: Promise<number>): Promise<number> {
  let done = false;
  const result = run.finally(() => (done = true));
  while (!done) {
    await clock.advance(clock.pending > 0 ? 1 : 0);
  }
  return result;
}

describe("sendPlan at a rate cap (ManualClock)", () => {
  it.each([
    // rate, max batch → batches of: rate split into equal whole batches
    [200, 1000, 200],
    [500, 200, 166],
    [2500, 1000, 833],
    [1, 1000, 1],
  ])("rate %i/s with calls of ≤ %i: batches of %i", (rate, maxBatch, size) => {
    expect(new RatePacer(rate, new ManualClock()).batchSize(maxBatch)).toBe(size);
  });

  it("spaces batches n / rate apart and never sends more than the rate in any second", async () => {
    const clock = new ManualClock();
    const { calls, resolver } = recording(clock);
    const pacer = new RatePacer(500, clock);
    const sent = await drive(clock, sendPlan(plan(1000), 0, { resolver, pacer, maxBatch: 200 }));
    expect(sent).toBe(1000);
    // 166 items take 332 ms of a 500/s budget: sends at 0, 332, 664, then the window's first leaves at 1000.
    expect(calls).toEqual([
      [0, 166],
      [332, 166],
      [664, 166],
      [1000, 166],
      [1332, 166],
      [1664, 166],
      [2000, 4],
    ]);
    for (const [at] of calls) {
      const inWindow = calls.filter(([t]) => t > at - 1000 && t <= at).reduce((sum, [, n]) => sum + n, 0);
      expect(inWindow).toBeLessThanOrEqual(500);
    }
  });

  it("starts at `from` and reports progress after every answered batch", async () => {
    const clock = new ManualClock();
    const { calls, resolver } = recording(clock);
    const progress: number[] = [];
    const run = sendPlan(plan(450), 250, {
      resolver,
      pacer: new RatePacer(100, clock),
      maxBatch: 1000,
      onBatch: (n) => void progress.push(n),
    });
    expect(await drive(clock, run)).toBe(450);
    expect(calls).toEqual([
      [0, 100],
      [1000, 100],
    ]);
    expect(progress).toEqual([350, 450]);
  });

  it("refuses a batch above the rate", async () => {
    await expect(new RatePacer(10, new ManualClock()).take(11)).rejects.toThrow(
      "a batch of 11 exceeds the rate 10/s",
    );
  });

  it("runWarm paces on its injected clock: 10 pairs at 4/s leave at 0, 1 s and 2 s", async () => {
    const dir = mkdtempSync(join(tmpdir(), "seniority-warm-pace-"));
    try {
      const line = (i: number) => `${JSON.stringify({ company: `C${i}`, title: "T" })}\n`;
      writeFileSync(join(dir, "1.jsonl"), Array.from({ length: 20 }, (_, i) => line(i % 10)).join(""));
      const clock = new ManualClock();
      const { calls, resolver } = recording(clock);
      const settings = { location: dir, namespace: "v1:std:m:k2", normalization: "standard" as const };
      const run = runWarm({
        input: { store: new LocalDirObjectStore(dir) },
        settings: { ...settings, top: 100, minCount: 2, counters: 100 },
        resolver,
        rate: 4,
        maxBatch: 1000,
        clock,
      });
      let done = false;
      void run.finally(() => (done = true));
      // Reading the file is real I/O: yield to the event loop while nothing sleeps on the clock.
      while (!done) {
        if (clock.pending > 0) await clock.advance(1);
        else await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await run).toMatchObject({ planPairs: 10, sent: 10 });
      expect(calls).toEqual([
        [0, 4],
        [1000, 4],
        [2000, 2],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
