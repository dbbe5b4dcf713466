import { ManualClock } from "@seniority/clock";
import { pairKey } from "@seniority/pair-key";
import { Redis } from "ioredis";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { useRedis } from "@seniority/testkit";
import type { CoordinationOptions, ReplicaCoordination } from "../src/replicas/ReplicaCoordination.js";
import { RedisStore } from "../src/stores/RedisStore.js";

const redis = useRedis();
let admin: Redis;
let testId = 0;
const opened: RedisStore[] = [];

beforeAll(() => {
  admin = redis.client();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  testId++;
});

const key = (i: number): Buffer => pairKey(`Company ${i}`, "Engineer", "standard");

/** A replica: its own store connection (one layout, this test's prefix) and its coordination. */
async function replica(
  layout: "compact" | "keys" = "compact",
  options: Partial<CoordinationOptions> = {},
): Promise<{ store: RedisStore; coordination: ReplicaCoordination }> {
  const store = RedisStore.fromUrl(redis.url, { namespace: "v1:std", keyPrefix: `c${testId}:`, layout });
  opened.push(store);
  expect(await store.waitUntilConnected(5000)).toBe(true);
  return { store, coordination: store.openCoordination({ claimTtlMs: 10_000, ...options }) };
}

describe.each(["compact", "keys"] as const)("claims (%s layout)", (layout) => {
  it("one replica wins a pair, the other loses it until it is answered or released", async () => {
    const [a, b] = await Promise.all([replica(layout), replica(layout)]);
    expect(await a.coordination.claim([key(1), key(2)])).toEqual(["won", "won"]);
    expect(await b.coordination.claim([key(1), key(2), key(3)])).toEqual(["lost", "lost", "won"]);
    expect(await a.coordination.claim([key(1)])).toEqual(["won"]); // still its own
    expect(await admin.get(`c${testId}:{v1:std}:claim:${key(1).toString("hex")}`)).toBe(
      a.coordination.replicaId,
    );

    await a.store.setMany([{ key: key(1), level: 6 }]);
    expect(await b.coordination.claim([key(1)])).toEqual([6]); // answered beats claimed
    expect(await b.coordination.release([key(1), key(2), key(3)])).toBe(1); // only its own: key 3
    expect(await a.coordination.release([key(1), key(2)])).toBe(2);
    expect(await b.coordination.claim([key(2)])).toEqual(["won"]);
  });
});

describe("claim expiry", () => {
  it("claims live claimTtlMs; refresh extends only this replica's", async () => {
    const [a, b] = await Promise.all([replica("compact", { claimTtlMs: 5000 }), replica()]);
    await a.coordination.claim([key(1)]);
    const name = `c${testId}:{v1:std}:claim:${key(1).toString("hex")}`;
    const ttl = await admin.pttl(name);
    expect(ttl).toBeGreaterThan(4900);
    expect(ttl).toBeLessThanOrEqual(5000);
    await admin.pexpire(name, 100);
    expect(await b.coordination.refresh([key(1)])).toBe(0);
    expect(await admin.pttl(name)).toBeLessThanOrEqual(100);
    expect(await a.coordination.refresh([key(1), key(2)])).toBe(1);
    expect(await admin.pttl(name)).toBeGreaterThan(4900);
    await admin.del(name); // as if expired: the pair is free again
    expect(await b.coordination.claim([key(1)])).toEqual(["won"]);
  });

  it("claims 6,000 pairs in one call (script calls of 5,000 written at once), outcomes in order", async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const keys = Array.from({ length: 6000 }, (_, i) => key(i));
    expect(new Set(await a.coordination.claim(keys.slice(0, 5500)))).toEqual(new Set(["won"]));
    const second = await b.coordination.claim(keys);
    expect(second.slice(0, 5500).every((outcome) => outcome === "lost")).toBe(true);
    expect(second.slice(5500).every((outcome) => outcome === "won")).toBe(true);
    expect(await a.coordination.release(keys)).toBe(5500);
  });
});

describe("shared pacing script", () => {
  it("applies both rules to every replica's sends (client clock)", async () => {
    const clock = new ManualClock();
    const [a, b] = await Promise.all([
      replica("compact", { paceClock: clock }),
      replica("compact", { paceClock: clock }),
    ]);
    const pace = (r: typeof a, items: number) => r.coordination.pace(items, 1000, 1000);
    expect(await pace(a, 400)).toBe(0);
    expect(await pace(b, 600)).toBe(400); // the model is busy with A's 400 items until t=400
    await clock.advance(400);
    expect(await pace(b, 600)).toBe(0);
    // Busy until 1000, and 1,001 items would be in (0, 1000] until A's send leaves at 1000.
    expect(await pace(a, 1)).toBe(600);
    await clock.advance(600);
    // The model is free, but B's 600 items (t=400) are in the window until 1400.
    expect(await pace(a, 1000)).toBe(400);
    expect(await pace(a, 400)).toBe(0);
    expect(await admin.zcard(`c${testId}:{v1:std}:pace`)).toBe(2); // A's first send left the window
  });

  it("with a lead, lets a batch leave early and counts the model's queue (client clock)", async () => {
    const clock = new ManualClock();
    const [a, b] = await Promise.all([
      replica("compact", { paceClock: clock }),
      replica("compact", { paceClock: clock }),
    ]);
    const pace = (r: typeof a, items: number) => r.coordination.pace(items, 20_000, 1025, 20);
    expect(await pace(a, 1000)).toBe(0); // busy until 50
    expect(await pace(b, 1000)).toBe(30); // may leave at 50 − 20
    await clock.advance(30);
    expect(await pace(b, 1000)).toBe(0); // queued behind A's: busy until 100, not 80
    expect(await pace(a, 1000)).toBe(50);
    for (let sent = 2; sent < 20; sent++) {
      await clock.advance(50);
      expect(await pace(sent % 2 ? b : a, 1000)).toBe(0);
    }
    expect(clock.now()).toBe(930);
    expect(await pace(a, 1000)).toBe(1025 - 930); // 20,000 items in the window: wait for the first
  });

  it("runs on Redis TIME by default", async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    expect(await a.coordination.pace(1000, 1000, 1025)).toBe(0);
    const wait = await b.coordination.pace(1, 1000, 1025);
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1025);
    const ttl = await admin.pttl(`c${testId}:{v1:std}:pace`);
    expect(ttl).toBeGreaterThan(1900); // gone after two idle windows
    expect(ttl).toBeLessThanOrEqual(2050);
  });
});

describe("replica presence script", () => {
  const beat = { synced: true, staleMs: 1000, expiryMs: 10_000, windowMs: 1000 };

  it("reports every other replica with its age and synced flag, and forgets the silent ones", async () => {
    const clock = new ManualClock();
    const [a, b] = await Promise.all([
      replica("compact", { paceClock: clock }),
      replica("compact", { paceClock: clock }),
    ]);
    expect(await a.coordination.heartbeat(beat)).toEqual([]);
    await clock.advance(300);
    expect(await b.coordination.heartbeat({ ...beat, synced: false })).toEqual([
      { id: a.coordination.replicaId, ageMs: 300, synced: true },
    ]);
    await clock.advance(200);
    expect(await a.coordination.heartbeat(beat)).toEqual([
      { id: b.coordination.replicaId, ageMs: 200, synced: false },
    ]);
    await clock.advance(10_000);
    expect(await a.coordination.heartbeat(beat)).toEqual([]); // B silent for 10 s: forgotten
    expect(await admin.hkeys(`c${testId}:{v1:std}:replicas:synced`)).toEqual([a.coordination.replicaId]);
  });

  it("after a restart lost them, puts back known peers as stale and this replica's local sends into the pace window", async () => {
    const clock = new ManualClock();
    const a = await replica("compact", { paceClock: clock });
    await clock.advance(5000);
    const peers = await a.coordination.heartbeat({
      ...beat,
      restore: ["replica-b"],
      sends: [
        { ageMs: 800, items: 300 },
        { ageMs: 100, items: 200 },
      ],
    });
    expect(peers).toEqual([{ id: "replica-b", ageMs: 1000, synced: false }]);
    const sends = await admin.zrange(`c${testId}:{v1:std}:pace`, "0", "-1", "WITHSCORES");
    expect(sends.filter((_, i) => i % 2 === 1)).toEqual(["4200", "4900"]);
    // 500 items in the window: another 600 must wait for the first send to leave it (at 5200).
    expect(await a.coordination.pace(600, 1000, 1000)).toBe(200);
    // A peer already present is never made older.
    await clock.advance(100);
    await a.coordination.heartbeat({ ...beat, restore: [a.coordination.replicaId, "replica-b"] });
    expect(await a.coordination.heartbeat(beat)).toEqual([{ id: "replica-b", ageMs: 1100, synced: false }]);
  });

  it("a beat that reaches Redis late (a frozen server thawing) is refused: the replica may be pacing alone by then", async () => {
    const clock = new ManualClock();
    const [a, b] = await Promise.all([
      replica("compact", { paceClock: clock }),
      replica("compact", { paceClock: clock }),
    ]);
    const late = { ...beat, lateMs: 250 };
    await a.coordination.heartbeat({ ...late, sentAt: clock.now() }); // baseline lag 0
    const sentAt = clock.now(); // sent, then Redis froze; run 3 s later, when it thaws
    await clock.advance(3000);
    await expect(a.coordination.heartbeat({ ...late, sentAt })).rejects.toThrow(
      "LATE heartbeat: 3000 ms behind",
    );
    const reserve = { staleMs: 1000, share: 500 };
    // B still sees A stale (its share kept free): the refused beat wrote nothing.
    expect(await b.coordination.heartbeat(beat)).toEqual([
      { id: a.coordination.replicaId, ageMs: 3000, synced: true },
    ]);
    expect(await b.coordination.pace(600, 1000, 1000, 0, reserve)).toBe(1000);
    // A beat on time is taken (up to the baseline + 250 ms, which creeps 1 ms a refused beat).
    await expect(a.coordination.heartbeat({ ...late, sentAt: clock.now() - 251 })).resolves.toEqual([
      { id: b.coordination.replicaId, ageMs: 0, synced: true },
    ]);
  });

  it("shared pacing keeps a stale peer's local share free", async () => {
    const clock = new ManualClock();
    const [a, b] = await Promise.all([
      replica("compact", { paceClock: clock }),
      replica("compact", { paceClock: clock }),
    ]);
    await Promise.all([a.coordination.heartbeat(beat), b.coordination.heartbeat(beat)]);
    const reserve = { staleMs: 1000, share: 500 };
    expect(await a.coordination.pace(600, 1000, 1000, 0, reserve)).toBe(0); // B is fresh
    await clock.advance(1000);
    await a.coordination.heartbeat(beat); // B now silent for 1 s: it may be pacing alone at 500/s
    expect(await a.coordination.pace(600, 1000, 1000, 0, reserve)).toBe(1000); // too big for 500
    expect(await a.coordination.pace(500, 1000, 1000, 0, reserve)).toBe(0);
    await clock.advance(1000);
    await b.coordination.heartbeat(beat);
    expect(await a.coordination.pace(1000, 1000, 1000, 0, reserve)).toBe(0); // fresh again: all of it
  });
});

describe("invalidation broadcast", () => {
  it("reaches every replica listening, the sender included", async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const heard: string[][] = [];
    const stop = b.coordination.onInvalidation((hexKeys) => heard.push(hexKeys));
    a.coordination.onInvalidation(() => {});
    const channel = `c${testId}:{v1:std}:invalidate`;
    for (let i = 0; i < 200 && (await listeners(channel)) !== 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await a.coordination.publishInvalidation([key(1), key(2)]);
    for (let i = 0; i < 200 && heard.length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(heard).toEqual([[key(1).toString("hex"), key(2).toString("hex")]]);
    stop();
    await b.coordination.close();
    await b.coordination.close(); // idempotent
    for (let i = 0; i < 200 && (await listeners(channel)) !== 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await listeners(channel)).toBe(1);
  });
});

async function listeners(channel: string): Promise<number> {
  const [, count] = (await admin.pubsub("NUMSUB", channel)) as [string, number];
  return Number(count);
}
