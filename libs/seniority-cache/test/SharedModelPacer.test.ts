import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { SharedModelPacer } from "../src/replicas/SharedModelPacer.js";
import { fakeRedis } from "./support/fakePaceRedis.js";

function setup(replies: (number | Error)[] = [], replicasHint = 2) {
  const clock = new ManualClock();
  const redis = fakeRedis(replies);
  const switches: boolean[] = [];
  const pacer = new SharedModelPacer({
    itemsPerSecond: 1000,
    coordination: redis,
    replicasHint,
    marginMs: 0,
    clock,
    onFallback: (local) => switches.push(local),
  });
  return { clock, redis, pacer, switches };
}

describe("SharedModelPacer", () => {
  it("asks Redis only when this replica's own pacing allows, and charges locally what Redis allowed", async () => {
    const { redis, pacer } = setup([0]);
    expect(await pacer.reserve(1000)).toBe(0);
    expect(redis.calls).toEqual([{ items: 1000, capacity: 1000, windowMs: 1000 }]);
    expect(pacer.reserve(1)).toBe(1000); // busy with its own batch: known without Redis
    expect(redis.calls).toHaveLength(1);
  });

  it("waitMs: when a batch may leave in its own view; while Redis is down, at its share too", async () => {
    const { redis, pacer } = setup([0]);
    expect(await pacer.reserve(400)).toBe(0);
    expect(pacer.waitMs(1)).toBe(400); // the model is busy with its 400 items (1000/s)
    redis.connected = false;
    expect(pacer.waitMs(1)).toBe(800); // alone at 500/s: those 400 take 800 ms
  });

  it("waits as long as Redis says (the other replicas' sends) and charges nothing meanwhile", async () => {
    const { redis, pacer } = setup([300, 0]);
    expect(await pacer.reserve(500)).toBe(300);
    expect(await pacer.reserve(500)).toBe(0);
    expect(redis.calls).toHaveLength(2);
  });

  it("Redis down: paces locally at capacity / replicasHint, and shares again once Redis is back", async () => {
    const { clock, redis, pacer, switches } = setup([0]);
    redis.connected = false;
    expect(pacer.maxItemsPerSend).toBe(500);
    expect(pacer.reserve(500)).toBe(0);
    expect(pacer.reserve(500)).toBe(1000); // 500 items/s: the first 500 keep this replica busy 1 s
    expect(pacer.pacingLocally).toBe(true);
    expect(redis.calls).toEqual([]);
    await clock.advance(1000);
    pacer.answered(500); // the model serves 1000/s: those 500 reached it by 500
    redis.connected = true;
    expect(pacer.maxItemsPerSend).toBe(500); // still alone until the shared pace answers
    expect(await pacer.reserve(1000)).toBe(500);
    await clock.advance(500);
    expect(await pacer.reserve(1000)).toBe(0);
    expect(pacer.pacingLocally).toBe(false);
    expect(pacer.maxItemsPerSend).toBe(1000);
    expect(switches).toEqual([true, false]);
  });

  it("a failed Redis call falls back to local pacing for that batch", async () => {
    const { clock, pacer, switches } = setup([new Error("connection lost")]);
    expect(await pacer.reserve(400)).toBe(0);
    expect(pacer.pacingLocally).toBe(true);
    expect(pacer.reserve(100)).toBe(400); // its own 400 items at 1,000/s
    await clock.advance(400);
    expect(await pacer.reserve(100)).toBe(0); // Redis answers again: shared once more
    expect(switches).toEqual([true, false]);
    expect(pacer.reserve(1)).toBe(100); // busy with the last 100 items
  });

  it("take() sleeps on the clock until Redis allows the batch (retries)", async () => {
    const { clock, pacer } = setup([250, 0]);
    let done = false;
    const taking = pacer.take(10).then(() => (done = true));
    for (let i = 0; i < 20 && clock.pending === 0; i++) await Promise.resolve(); // Redis's reply
    expect(clock.pending).toBe(1);
    await clock.advance(249);
    expect(done).toBe(false);
    await clock.advance(1);
    await taking;
    expect(done).toBe(true);
  });

  it("refuses a replicas hint below 1", () => {
    expect(() => setup([], 0)).toThrow("replicasHint must be an integer >= 1, got 0");
  });
});
