import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { HeldClaims } from "../src/replicas/HeldClaims.js";
import type { ClaimOutcome } from "../src/replicas/ReplicaCoordination.js";

function setup(outcome: (name: string) => ClaimOutcome = () => "won") {
  const clock = new ManualClock();
  const calls: { op: "release" | "refresh" | "claim"; at: number; keys: string[] }[] = [];
  const record = (op: "release" | "refresh") => async (keys: readonly Buffer[]) => {
    calls.push({ op, at: clock.now(), keys: keys.map((key) => key.toString()) });
    return keys.length;
  };
  const coordination = {
    connected: true,
    release: record("release"),
    refresh: record("refresh"),
    async claim(keys: readonly Buffer[]): Promise<ClaimOutcome[]> {
      const names = keys.map((key) => key.toString());
      calls.push({ op: "claim", at: clock.now(), keys: names });
      return names.map(outcome);
    },
  };
  const held = new HeldClaims(coordination, clock, 3000, undefined);
  const claim = (name: string) => ({ hex: name, key: Buffer.from(name) });
  return { clock, calls, held, claim, coordination };
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
        claim: async () => [],
        connected: true,
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

  it("pairs inferred without a claim are claimed once Redis answers; those won are held, the others tried once", async () => {
    const { clock, calls, held, claim, coordination } = setup((name) => (name === "b" ? "lost" : "won"));
    coordination.connected = false;
    held.adopt([claim("a"), claim("b"), claim("c")]);
    expect([held.unclaimed, held.has("a"), held.size]).toEqual([3, true, 0]);
    await clock.advance(300);
    expect(calls).toEqual([]); // Redis unreachable: nothing asked
    held.release(["c"]); // settled meanwhile (its answer is stored); no claim to delete
    coordination.connected = true;
    await clock.advance(100);
    expect(calls).toEqual([{ op: "claim", at: 400, keys: ["a", "b"] }]);
    expect([held.unclaimed, held.size, held.has("a"), held.has("b")]).toEqual([1, 1, true, true]);
    await clock.advance(1000);
    expect(calls.filter((call) => call.op === "claim")).toHaveLength(1); // "b" is not asked again
    held.forget(["b"]);
    held.release(["a"]);
    expect([held.unclaimed, held.size]).toEqual([0, 0]);
    expect(calls.at(-1)).toEqual({ op: "release", at: 1400, keys: ["a"] });
    await held.close();
  });
});
