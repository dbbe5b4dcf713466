import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import type { FoldSource } from "../src/replicas/ReplicaPresence.js";
import { SharedModelPacer } from "../src/replicas/SharedModelPacer.js";

/** A stand-in for Redis: answers pace() with the next queued reply (a wait in ms, or an error). */
function fakeRedis(replies: (number | Error)[] = []) {
  const calls: { items: number; capacity: number; windowMs: number }[] = [];
  const ids: string[] = [];
  const answered: string[] = [];
  return {
    calls,
    ids,
    answered,
    replies,
    replicaId: "r",
    connected: true,
    async pace(
      items: number,
      capacity: number,
      windowMs: number,
      _lead?: number,
      _reserve?: unknown,
      send?: { id?: string },
    ): Promise<number> {
      calls.push({ items, capacity, windowMs });
      ids.push(send?.id ?? "");
      const reply = replies.shift() ?? 0;
      if (reply instanceof Error) throw reply;
      return reply;
    },
    async paceAnswered(sendId: string): Promise<void> {
      if (!this.connected) throw new Error("down");
      answered.push(sendId);
    },
  };
}

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

/** A stand-in for ReplicaPresence: what the last heartbeat saw, and the heartbeats asked for. */
function fakePresence(replicas: number) {
  const beats: ReturnType<FoldSource>["sends"][] = [];
  return {
    beats,
    replicas,
    stalePeers: 0,
    freshForPeersMs: 0,
    staleMs: 1000,
    beatOk: true,
    source: undefined as FoldSource | undefined,
    foldFrom(source: FoldSource): void {
      this.source = source;
    },
    async beat(): Promise<boolean> {
      const fold = this.source!();
      beats.push(fold.sends);
      if (this.beatOk) fold.folded();
      return this.beatOk;
    },
  };
}

function setupWithPresence(replies: (number | Error)[] = [], replicas = 2) {
  const clock = new ManualClock();
  const redis = fakeRedis(replies);
  const presence = fakePresence(replicas);
  const pacer = new SharedModelPacer({
    itemsPerSecond: 1000,
    coordination: redis,
    presence,
    marginMs: 0,
    clock,
  });
  return { clock, redis, presence, pacer };
}

/** Redis lost: the first local send waits one window (1 s here); returns when it may send. */
async function loseRedis(redis: { connected: boolean }, pacer: SharedModelPacer, clock: ManualClock) {
  redis.connected = false;
  expect(pacer.reserve(1)).toBe(1000);
  await clock.advance(1000);
}

describe("SharedModelPacer with replica presence", () => {
  it("Redis down: paces at capacity / the replicas presence knows, even with the default hint of 1", async () => {
    const { clock, redis, pacer } = setupWithPresence([], 2);
    await loseRedis(redis, pacer, clock);
    expect(pacer.maxItemsPerSend).toBe(500);
    expect(pacer.reserve(500)).toBe(0);
    expect(pacer.reserve(1)).toBe(1000);
  });

  it("Redis back: the sends made alone in the last window go into the shared window before it is asked", async () => {
    const { clock, redis, presence, pacer } = setupWithPresence([0, 0]);
    await loseRedis(redis, pacer, clock);
    expect(pacer.reserve(300)).toBe(0); // t=1000
    await clock.advance(700);
    expect(pacer.reserve(100)).toBe(0); // t=1700
    await clock.advance(400);
    redis.connected = true; // t=2100: the first send left the window, the second did not
    expect(await pacer.reserve(200)).toBe(0);
    // Both are unanswered: either may still be reaching the model, so both count (pending).
    expect(presence.beats).toEqual([
      [
        { id: "r:1", items: 300, sentAgeMs: 1100, pendingMs: 10_000 },
        { id: "r:2", items: 100, sentAgeMs: 400, pendingMs: 10_000 },
      ],
    ]);
    expect(redis.calls).toEqual([{ items: 200, capacity: 1000, windowMs: 1000 }]);
    expect(await pacer.reserve(10)).toBe(200); // busy with its own 200 items (known locally)
    await clock.advance(200);
    expect(await pacer.reserve(10)).toBe(0);
    expect(presence.beats).toHaveLength(1); // folded once
  });

  it("a fold that fails keeps pacing alone, and is tried again", async () => {
    const { clock, redis, presence, pacer } = setupWithPresence([0]);
    await loseRedis(redis, pacer, clock);
    expect(pacer.reserve(100)).toBe(0);
    redis.connected = true;
    presence.beatOk = false;
    expect(await pacer.reserve(100)).toBe(200); // alone: its own 100 items at 500/s
    expect(redis.calls).toEqual([]);
    expect(pacer.pacingLocally).toBe(true);
    await clock.advance(200);
    presence.beatOk = true;
    expect(await pacer.reserve(100)).toBe(0);
    const send = { id: "r:1", items: 100, pendingMs: 10_000 };
    expect(presence.beats).toEqual([[{ ...send, sentAgeMs: 0 }], [{ ...send, sentAgeMs: 200 }]]);
    expect(redis.calls).toHaveLength(1);
    expect(pacer.pacingLocally).toBe(false);
  });

  it("losing Redis, waits until its heartbeat is stale and the shared sends it cannot see left the window", async () => {
    const { clock, redis, presence, pacer } = setupWithPresence();
    redis.connected = false;
    presence.freshForPeersMs = 700;
    expect(pacer.reserve(100)).toBe(1000); // the window (1 s) since it lost Redis
    await clock.advance(600);
    presence.freshForPeersMs = 100;
    expect(pacer.reserve(100)).toBe(400);
    await clock.advance(400);
    presence.freshForPeersMs = 100; // a heartbeat 900 ms ago (peers do not see it stale yet)
    expect(pacer.reserve(100)).toBe(100);
    presence.freshForPeersMs = 0;
    expect(pacer.reserve(100)).toBe(0);
  });

  it("alone, a batch sized for the shared capacity is asked again (to be resized); a retried one may leave", async () => {
    const { clock, redis, pacer } = setupWithPresence([], 2);
    await loseRedis(redis, pacer, clock);
    expect(pacer.reserve(1000)).toBe(1);
    expect(pacer.maxItemsPerSend).toBe(500);
    await pacer.take(1000); // a retry: this replica's window is empty
    expect(pacer.reserve(1)).toBe(2000); // 1,000 items keep it busy 2 s at 500/s
  });

  it("alone with a new replica count, a batch sent shared and still unanswered counts as arriving now", async () => {
    const { clock, redis, pacer } = setupWithPresence([0], 2); // hint 1: the first local pacer is for 1
    expect(await pacer.reserve(500)).toBe(0); // t=0, shared; the model has not answered it yet
    await loseRedis(redis, pacer, clock); // t=1000: a window since Redis was lost
    // Its 500 may reach the model only now: this replica's share (500/s) has no room yet.
    expect(pacer.reserve(500)).toBe(1);
    pacer.answered(500); // it reached the model by 500 (the model serves 1000/s)
    expect(pacer.reserve(500)).toBe(500);
    await clock.advance(500);
    expect(pacer.reserve(500)).toBe(0);
  });

  it("ends a send in the shared window when it is answered; one made alone only once folded", async () => {
    const { clock, redis, pacer } = setupWithPresence([0, 0], 2);
    expect(await pacer.reserve(400)).toBe(0); // shared, as r:1
    await clock.advance(400);
    expect(await pacer.reserve(400)).toBe(0); // shared, as r:2
    pacer.answered(400); // the oldest unanswered of that size
    expect(redis.ids).toEqual(["r:1", "r:2"]);
    await Promise.resolve();
    expect(redis.answered).toEqual(["r:1"]);
    await loseRedis(redis, pacer, clock);
    await clock.advance(200); // at its share, 500/s, the model is busy with the 800 items until 1600
    expect(pacer.reserve(100)).toBe(0); // alone, as r:3: the shared window does not hold it
    pacer.answered(400);
    pacer.answered(100);
    await Promise.resolve();
    expect(redis.answered).toEqual(["r:1"]); // r:2's end could not reach Redis: pending there until its bound
  });

  it("with a stale peer, the largest send leaves its share free", () => {
    const { presence, pacer } = setupWithPresence([], 3);
    expect(pacer.maxItemsPerSend).toBe(1000);
    presence.stalePeers = 1;
    expect(pacer.maxItemsPerSend).toBe(667);
  });
});
