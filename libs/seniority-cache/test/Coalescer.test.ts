import { describe, expect, it } from "vitest";
import { CacheError } from "../src/core/CacheError.js";
import { Coalescer } from "../src/core/Coalescer.js";
import { waitOrAbort } from "../src/core/waitOrAbort.js";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("Coalescer", () => {
  it("shares a running flight and forgets it when it settles", async () => {
    const coalescer = new Coalescer<number>();
    const work = deferred<number>();
    expect(coalescer.join("k")).toBeUndefined();
    coalescer.start("k", { promise: work.promise });
    const joined = coalescer.join("k");
    expect(joined?.promise).toBe(work.promise);
    expect([coalescer.size, coalescer.coalesced]).toEqual([1, 1]);
    work.resolve(5);
    expect(await joined!.promise).toBe(5);
    expect(coalescer.size).toBe(0);
    expect(coalescer.join("k")).toBeUndefined();
  });

  it("forgets a failed flight too, so the next caller starts afresh", async () => {
    const coalescer = new Coalescer<number>();
    const work = deferred<number>();
    coalescer.start("k", { promise: work.promise });
    work.reject(new Error("boom"));
    await expect(work.promise).rejects.toThrow("boom");
    expect(coalescer.size).toBe(0);
  });

  it("refuses a second flight for a running key", () => {
    const coalescer = new Coalescer<number>();
    coalescer.start("k", { promise: new Promise(() => {}) });
    expect(() => coalescer.start("k", { promise: Promise.resolve(1) })).toThrow(
      "a flight for k is already running",
    );
  });
});

describe("waitOrAbort", () => {
  it("stops one caller's wait on abort while the work goes on for others", async () => {
    const work = deferred<number>();
    const controller = new AbortController();
    const cancelled = waitOrAbort(work.promise, controller.signal);
    const other = waitOrAbort(work.promise, new AbortController().signal);
    controller.abort();
    await expect(cancelled).rejects.toEqual(new CacheError("CANCELLED", "the caller cancelled the request"));
    work.resolve(3);
    expect(await other).toBe(3);
  });

  it("rejects at once for an already aborted signal and passes results through otherwise", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(waitOrAbort(Promise.resolve(1), controller.signal)).rejects.toMatchObject({
      code: "CANCELLED",
    });
    expect(await waitOrAbort(Promise.resolve(2), undefined)).toBe(2);
    await expect(waitOrAbort(Promise.reject(new Error("x")), new AbortController().signal)).rejects.toThrow(
      "x",
    );
  });
});
