import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { HeldClaims } from "../src/HeldClaims.js";

function setup() {
  const clock = new ManualClock();
  const calls: { op: "release" | "refresh"; at: number; keys: string[] }[] = [];
  const record = (op: "release" | "refresh") => async (keys: readonly Buffer[]) => {
    calls.push({ op, at: clock.now(), keys: keys.map((key) => key.toString()) });
    return keys.length;
  };
  const held = new HeldClaims(
    { release: record("release"), refresh: record("refresh") },
    clock,
    3000,
    undefined,
  );
  const claim = (name: string) => ({ hex: name, key: Buffer.from(name) });
  return { clock, calls, held, claim };
}

describe("HeldClaims", () => {
  it("refreshes held claims every third of the TTL, only while any is held", async () => {
    const { clock, calls, held, claim } = setup();
    held.add([claim("a"), claim("b")]);
    await clock.advance(2000);
    held.release(["a"]);
    await clock.advance(1000);
    held.forget(["b"]); // its answer could not be stored: let it expire
    await clock.advance(5000);
    expect(calls).toEqual([
      { op: "refresh", at: 1000, keys: ["a", "b"] },
      { op: "refresh", at: 2000, keys: ["a", "b"] },
      { op: "release", at: 2000, keys: ["a"] },
      { op: "refresh", at: 3000, keys: ["b"] },
    ]);
    expect([held.size, clock.pending]).toEqual([0, 0]);
    held.add([claim("c")]); // refreshing starts again
    await clock.advance(1000);
    expect(calls.at(-1)).toEqual({ op: "refresh", at: 9000, keys: ["c"] });
    await held.close();
    await held.close();
    expect(clock.pending).toBe(0);
  });

  it("close() waits for releases in flight; a failed release is only logged (the claim expires)", async () => {
    const clock = new ManualClock();
    let finish!: () => void;
    const released = new Promise<void>((resolve) => (finish = resolve));
    const held = new HeldClaims(
      {
        release: async () => {
          await released;
          throw new Error("connection lost");
        },
        refresh: async () => 0,
      },
      clock,
      3000,
      undefined,
    );
    held.add([{ hex: "a", key: Buffer.from("a") }]);
    held.release(["a"]);
    let closed = false;
    const closing = held.close().then(() => (closed = true));
    await Promise.resolve();
    expect(closed).toBe(false);
    finish();
    await closing;
    expect(held.size).toBe(0);
  });
});
