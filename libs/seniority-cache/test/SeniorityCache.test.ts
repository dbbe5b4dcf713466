import { describe, expect, it } from "vitest";
import { CacheError } from "../src/core/CacheError.js";
import { SeniorityCache } from "../src/core/SeniorityCache.js";
import type { SeniorityCacheOptions } from "../src/core/SeniorityCacheOptions.js";
import { MemoryStore, type Store } from "../src/stores/index.js";
import { FlakyStore } from "./support/FlakyStore.js";
import { levelOf, RecordingModel } from "./support/RecordingModel.js";

function setup(options: Partial<SeniorityCacheOptions> & { store?: Store } = {}) {
  const model = new RecordingModel();
  const cache = new SeniorityCache({
    store: new MemoryStore(),
    model,
    modelCapacity: Number.POSITIVE_INFINITY,
    maxDelayMs: 1,
    l1Entries: 10_000, // a 1M-entry LRU allocates its arrays up front (~0.3 s)
    ...options,
  });
  return { model, cache };
}

const pair = (company: string, title: string) => ({ company, title });

describe("SeniorityCache", () => {
  it("answers in input order, infers each distinct key once, with the first-seen strings", async () => {
    const { model, cache } = setup();
    const levels = await cache.infer([
      pair("Acme  Corp", "Data Engineer"),
      pair("Acme", "CEO"),
      pair(" Acme Corp", "Data  Engineer "), // same key under "standard"
      pair("Acme", "CEO"),
    ]);
    expect(levels).toEqual([
      levelOf("Data Engineer"),
      levelOf("CEO"),
      levelOf("Data Engineer"),
      levelOf("CEO"),
    ]);
    expect(model.batches).toEqual([[pair("Acme  Corp", "Data Engineer"), pair("Acme", "CEO")]]);
    expect(await cache.infer([])).toEqual([]);
    await cache.close();
  });

  it("serves repeats from L1, then from the store after a restart, one store read per request", async () => {
    const store = new FlakyStore();
    const first = setup({ store });
    const pairs = [pair("A", "CTO"), pair("B", "Intern")];
    await first.cache.infer(pairs);
    await first.cache.infer(pairs);
    expect(first.model.items).toBe(2);
    expect(first.cache.stats()).toMatchObject({
      requests: 2,
      items: 4,
      l1Hits: 2,
      storeHits: 0,
      modelItems: 2,
    });
    await first.cache.close();

    const second = setup({ store });
    const readsBefore = store.calls.getMany;
    expect(await second.cache.infer([...pairs, pair("C", "VP")])).toEqual([
      levelOf("CTO"),
      levelOf("Intern"),
      levelOf("VP"),
    ]);
    expect(store.calls.getMany - readsBefore).toBe(1);
    expect(second.model.batches).toEqual([[pair("C", "VP")]]);
    expect(second.cache.stats()).toMatchObject({ storeHits: 2, modelItems: 1 });
    await second.cache.close();
  });

  it("coalesces overlapping concurrent requests: each key reaches the model once", async () => {
    const { model, cache } = setup();
    const release = model.hold();
    const requests = Array.from({ length: 20 }, (_, r) =>
      cache.infer(Array.from({ length: 50 }, (_, i) => pair("Co", `Title ${(r * 7 + i) % 120}`))),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    const answers = await Promise.all(requests);
    expect(answers[3]![0]).toBe(levelOf("Title 21"));
    const sent = model.batches.flat().map((p) => p.title);
    expect(sent.length).toBe(120);
    expect(new Set(sent).size).toBe(120);
    expect(cache.stats().coalesced).toBeGreaterThan(0);
    await cache.close();
  });

  it("lets a cancelled caller go while its pairs are still inferred and cached", async () => {
    const { model, cache } = setup();
    const release = model.hold();
    const controller = new AbortController();
    const cancelled = cache.infer([pair("X", "CEO")], { signal: controller.signal });
    const other = cache.infer([pair("X", "CEO")]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    await expect(cancelled).rejects.toEqual(new CacheError("CANCELLED", "the caller cancelled the request"));
    release();
    expect(await other).toEqual([levelOf("CEO")]);
    expect(await cache.infer([pair("X", "CEO")])).toEqual([levelOf("CEO")]);
    expect(model.items).toBe(1);
    await cache.close();
  });

  it("a failed batch rejects its callers with UNAVAILABLE and caches nothing", async () => {
    const store = new MemoryStore();
    const { model, cache } = setup({ store });
    model.failing = true;
    await expect(cache.infer([pair("Y", "COO")])).rejects.toMatchObject({ code: "UNAVAILABLE" });
    expect(await cache.lookupCached([pair("Y", "COO")])).toEqual([{ level: undefined, tier: undefined }]);
    expect(store.size).toBe(0);
    model.failing = false;
    expect(await cache.infer([pair("Y", "COO")])).toEqual([levelOf("COO")]);
    expect(model.items).toBe(2);
    await cache.close();
  });

  it("keeps answering from L1 and the model while the store is down, and reports it", async () => {
    const store = new FlakyStore();
    const { cache } = setup({ store, storeProbeIntervalMs: 10 });
    store.down = true;
    expect(await cache.infer([pair("Z", "CFO")])).toEqual([levelOf("CFO")]);
    expect(cache.degraded).toBe(true);
    expect(cache.stats()).toMatchObject({ storeDegraded: true, bufferedWrites: 1 });
    store.down = false;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cache.degraded).toBe(false);
    expect(await store.inner.size).toBe(1);
    await cache.close();
  });

  it("refuses work past maxQueued with RESOURCE_EXHAUSTED and keeps serving", async () => {
    const { model, cache } = setup({ maxQueued: 10, maxBatch: 5, maxInFlight: 1 });
    const release = model.hold();
    const bulk = { priority: "bulk" } as const;
    // 5 go to the model (held), 5 wait; 6 more would pass the bulk bound of 10.
    const first = cache.infer(
      Array.from({ length: 10 }, (_, i) => pair("Q", `t${i}`)),
      bulk,
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    const more = Array.from({ length: 6 }, (_, i) => pair("R", `t${i}`));
    await expect(cache.infer(more, bulk)).rejects.toMatchObject({
      code: "RESOURCE_EXHAUSTED",
      message: expect.stringContaining("(--max-queued)"),
    });
    // Interactive work has its own bound: never refused because of bulk.
    const small = cache.infer([pair("S", "CEO")]);
    release();
    expect(await first).toHaveLength(10);
    expect(await small).toEqual([levelOf("CEO")]);
    await cache.close();
  });

  it("moves an interactive caller's pairs ahead of the bulk work they are part of", async () => {
    const { model, cache } = setup({ maxBatch: 10, maxInFlight: 1, interactiveMaxItems: 5 });
    const release = model.hold();
    const bulk = cache.infer(Array.from({ length: 40 }, (_, i) => pair("B", `t${i}`)));
    await new Promise((resolve) => setTimeout(resolve, 5)); // first batch (t0..t9) is out
    const small = cache.infer([pair("B", "t35")]);
    release();
    await small;
    expect(model.batches[1]![0]).toEqual(pair("B", "t35"));
    await bulk;
    await cache.close();
  });

  it("lookupCached reads L1 then the store; invalidate removes from both", async () => {
    const store = new FlakyStore();
    const { model, cache } = setup({ store });
    await cache.infer([pair("L", "CEO"), pair("L", "Intern")]);
    await cache.close();
    const again = setup({ store }).cache;
    await again.infer([pair("L", "CEO")]);
    expect(await again.lookupCached([pair("L", "CEO"), pair("L", "Intern"), pair("L", "Nope")])).toEqual([
      { level: levelOf("CEO"), tier: "l1" },
      { level: levelOf("Intern"), tier: "store" },
      { level: undefined, tier: undefined },
    ]);
    expect(await again.invalidate([pair("L", "CEO"), pair("L", "CEO"), pair("L", "Nope")])).toBe(1);
    expect(await again.lookupCached([pair("L", "CEO")])).toEqual([{ level: undefined, tier: undefined }]);
    expect(model.items).toBe(2);
    await again.close();
  });

  it("answers exact repeats from L1 by spelling, and still asks again after an invalidation", async () => {
    const { model, cache } = setup();
    const batch = [pair("Acme", "CTO"), pair("Acme ", "CTO"), pair("Acme", "CTO"), pair("Zed", "Intern")];
    const expected = [levelOf("CTO"), levelOf("CTO"), levelOf("CTO"), levelOf("Intern")];
    expect(await cache.infer(batch)).toEqual(expected);
    expect(await cache.infer(batch)).toEqual(expected);
    expect(cache.stats()).toMatchObject({ l1Hits: 4, modelItems: 2 }); // the repeat: 4 items by spelling
    // Invalidated under another spelling of the same key: the remembered spelling must miss.
    expect(await cache.invalidate([pair(" Acme", "CTO")])).toBe(1);
    expect(await cache.infer([pair("Acme", "CTO")])).toEqual([levelOf("CTO")]);
    expect(model.batches).toEqual([[pair("Acme", "CTO"), pair("Zed", "Intern")], [pair("Acme", "CTO")]]);
    await cache.close();
  });

  it("close() drains waiting work, flushes writes, closes store and model once, then refuses calls", async () => {
    const store = new FlakyStore();
    const { model, cache } = setup({ store, maxDelayMs: 50 });
    const pending = cache.infer([pair("S", "CEO")]);
    await Promise.all([cache.close(), cache.close()]);
    expect(await pending).toEqual([levelOf("CEO")]);
    expect(store.inner.size).toBe(1);
    expect([store.calls.close, model.closed]).toEqual([1, 1]);
    await expect(cache.infer([pair("S", "CEO")])).rejects.toEqual(
      new CacheError("UNAVAILABLE", "the cache is shutting down"),
    );
  });
});
