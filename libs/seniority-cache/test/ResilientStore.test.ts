import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { CacheError } from "../src/core/CacheError.js";
import { ResilientStore, type StoreOperation } from "../src/stores/ResilientStore.js";
import { FlakyStore } from "./support/FlakyStore.js";

const key = (n: number): Buffer => Buffer.alloc(16, n);

function setup(options: { maxBufferedWrites?: number } = {}) {
  const clock = new ManualClock();
  const backend = new FlakyStore();
  const errors: StoreOperation[] = [];
  const store = new ResilientStore({
    store: backend,
    clock,
    probeIntervalMs: 1000,
    onError: (operation) => errors.push(operation),
    ...options,
  });
  return { clock, backend, errors, store };
}

describe("ResilientStore", () => {
  it("passes lookups and writes through while the store works", async () => {
    const { backend, store } = setup();
    store.write([{ key: key(1), level: 4 }]);
    await store.flush();
    expect(await store.lookup([key(1), key(2)])).toEqual([4, undefined]);
    expect(backend.calls).toMatchObject({ getMany: 1, setMany: 1 });
    expect(store.degraded).toBe(false);
    await store.close();
  });

  it("reports each lookup's and write's duration in seconds on the store's clock", async () => {
    const clock = new ManualClock();
    const backend = new FlakyStore();
    const durations: [string, number][] = [];
    const store = new ResilientStore({
      store: backend,
      clock,
      onDuration: (operation, seconds) => durations.push([operation, seconds]),
    });
    const getMany = backend.getMany.bind(backend);
    backend.getMany = async (keys) => {
      await clock.advance(3);
      return getMany(keys);
    };
    const setMany = backend.setMany.bind(backend);
    backend.setMany = async (entries) => {
      await clock.advance(7);
      return setMany(entries);
    };
    await store.write([{ key: key(1), level: 2 }]);
    expect(await store.lookup([key(1)])).toEqual([2]);
    expect(durations).toEqual([
      ["set", 0.007],
      ["get", 0.003],
    ]);
    await store.close();
  });

  it("turns a failed lookup into misses, degrades, and stops asking the store", async () => {
    const { backend, errors, store } = setup();
    backend.down = true;
    expect(await store.lookup([key(1), key(2)])).toEqual([undefined, undefined]);
    expect(store.degraded).toBe(true);
    expect(await store.lookup([key(1)])).toEqual([undefined]);
    expect(backend.calls.getMany).toBe(1);
    expect(errors).toEqual(["get"]);
    await store.close();
  });

  it("buffers writes while degraded and replays them when a probe finds the store back", async () => {
    const { clock, backend, errors, store } = setup();
    backend.down = true;
    store.write([{ key: key(1), level: 2 }]); // fails, is buffered, degrades
    await store.flush();
    store.write([{ key: key(2), level: 5 }]); // buffered directly
    expect(store.bufferedWrites).toBe(2);
    await clock.advance(1000); // probe: still down
    expect(store.degraded).toBe(true);
    backend.down = false;
    await clock.advance(999);
    expect(store.degraded).toBe(true);
    await clock.advance(1);
    expect(store.degraded).toBe(false);
    expect(store.bufferedWrites).toBe(0);
    expect(await backend.inner.getMany([key(1), key(2)])).toEqual([2, 5]);
    expect(errors).toEqual(["set", "probe"]);
    await store.close();
  });

  it("keeps at most maxBufferedWrites, dropping the oldest", async () => {
    const { backend, store } = setup({ maxBufferedWrites: 3 });
    backend.down = true;
    await store.lookup([key(0)]);
    store.write([1, 2, 3, 4, 5].map((n) => ({ key: key(n), level: 1 })));
    expect(store.bufferedWrites).toBe(3);
    expect(store.dropped).toBe(2);
    backend.down = false;
    await store.close(); // replays what is left
    expect(await backend.inner.getMany([key(1), key(2), key(3), key(4), key(5)])).toEqual([
      undefined,
      undefined,
      1,
      1,
      1,
    ]);
  });

  it("reports a failed delete as UNAVAILABLE", async () => {
    const { backend, store } = setup();
    backend.down = true;
    await expect(store.remove([key(1)])).rejects.toEqual(
      new CacheError("UNAVAILABLE", "the cache store is unreachable; try again later"),
    );
    await store.close();
  });

  it("close() is idempotent, waits for writes and closes the store once", async () => {
    const { backend, store } = setup();
    store.write([{ key: key(9), level: 7 }]);
    await Promise.all([store.close(), store.close()]);
    expect(backend.calls.close).toBe(1);
    expect(await backend.inner.getMany([key(9)])).toEqual([7]);
  });
});
