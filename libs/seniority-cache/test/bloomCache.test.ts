import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "@seniority/clock";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeniorityCache } from "../src/core/SeniorityCache.js";
import type { SeniorityCacheOptions } from "../src/core/SeniorityCacheOptions.js";
import { BloomGuardedStore } from "../src/stores/BloomGuardedStore.js";
import { BloomMetrics } from "../src/stores/BloomMetrics.js";
import { openStore } from "../src/stores/openStore.js";
import { ResilientStore } from "../src/stores/ResilientStore.js";
import type { Store } from "../src/stores/Store.js";
import { FlakyStore } from "./support/FlakyStore.js";
import { levelOf, RecordingModel } from "./support/RecordingModel.js";

// The guarantee that matters: a pair the filter rules out still reaches the model (never skipped),
// and no level ever comes from the filter alone (a positive is read from the store).
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "seniority-bloom-cache-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pairOf = (i: number) => ({ company: `Firm ${i % 13}`, title: `Engineer ${"I".repeat(i % 5)} ${i}` });
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => pairOf(from + i));

function cacheOn(store: Store, model: RecordingModel, options: Partial<SeniorityCacheOptions> = {}) {
  return new SeniorityCache({
    store,
    model,
    modelCapacity: Number.POSITIVE_INFINITY,
    maxDelayMs: 1,
    l1Entries: 10_000,
    ...options,
  });
}

async function guarded(inner: Store, expectedPairs: number, falsePositiveRate: number) {
  const metrics = new BloomMetrics(new Registry());
  const store = new BloomGuardedStore(inner, { expectedPairs, falsePositiveRate, metrics });
  expect(await store.whenRebuilt()).toBe("ready");
  return { store, metrics };
}

const checks = async (metrics: BloomMetrics) =>
  Object.fromEntries((await metrics.checks.get()).values.map((v) => [v.labels.result, v.value]));

describe("a cache behind a Bloom filter (real LMDB)", () => {
  it("after a restart: stored pairs come from the store, every other pair from the model, once", async () => {
    const path = `lmdb:${join(dir, "restart")}`;
    const first = new RecordingModel();
    const before = cacheOn((await openStore(path, { namespace: "v1" })).store, first);
    await before.infer(range(0, 300));
    await before.close();

    // A filter far too small (50 pairs at 50%, holding 300): most pairs never seen test positive.
    const model = new RecordingModel();
    const { store, metrics } = await guarded((await openStore(path, { namespace: "v1" })).store, 50, 0.5);
    const cache = cacheOn(store, model);
    const pairs = [...range(0, 300), ...range(1000, 300)].reverse();
    expect(await cache.infer(pairs)).toEqual(pairs.map((pair) => levelOf(pair.title)));
    // Exactly the 300 new pairs went to the model, each once, false positives included.
    const sent = model.batches.flat().map((pair) => pair.title);
    expect(sent.sort()).toEqual(
      range(1000, 300)
        .map((pair) => pair.title)
        .sort(),
    );
    expect(cache.stats()).toMatchObject({ storeHits: 300, modelItems: 300 });
    const seen = await checks(metrics);
    expect(seen.positive).toBeGreaterThan(300); // some new pairs were false positives…
    expect(seen.positive! + (seen.negative ?? 0)).toBe(600); // …and all 600 were checked
    await cache.close();
  });

  it("an invalidated pair is inferred again (a false positive, read and missed), once", async () => {
    const model = new RecordingModel();
    const { store } = await guarded(
      (await openStore(`lmdb:${join(dir, "inv")}`, { namespace: "v1" })).store,
      1000,
      0.01,
    );
    const cache = cacheOn(store, model, { l1Entries: 1 }); // L1 of one: the second pair evicts the first
    await cache.infer([pairOf(1), pairOf(2)]);
    expect(await cache.invalidate([pairOf(1)])).toBe(1);
    expect(await cache.infer([pairOf(1), pairOf(2)])).toEqual([
      levelOf(pairOf(1).title),
      levelOf(pairOf(2).title),
    ]);
    expect(model.batches).toEqual([[pairOf(1), pairOf(2)], [pairOf(1)]]);
    await cache.close();
  });
});

describe("ResilientStore behind a Bloom filter", () => {
  it("probes the store itself: a negative for the probe key never passes for recovery", async () => {
    const clock = new ManualClock();
    const flaky = new FlakyStore();
    const guard = new BloomGuardedStore(flaky, { expectedPairs: 100 });
    expect(await guard.whenRebuilt()).toBe("ready");
    const store = new ResilientStore({ store: guard, clock, probeIntervalMs: 1000 });
    const key = Buffer.alloc(16, 7);
    store.write([{ key, level: 3 }]);
    await store.flush();
    flaky.down = true;
    expect(await store.lookup([key])).toEqual([undefined]); // positive → read → fails → degraded
    expect(store.degraded).toBe(true);
    const reads = flaky.calls.getMany;
    await clock.advance(1000);
    expect(flaky.calls.getMany).toBe(reads + 1); // the probe reached the store…
    expect(store.degraded).toBe(true); // …and failed
    flaky.down = false;
    await clock.advance(1000);
    expect(store.degraded).toBe(false);
    expect(await store.lookup([key], { exact: true })).toEqual([3]);
    await store.close();
  });
});
