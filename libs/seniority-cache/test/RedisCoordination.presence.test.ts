import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { useCoordinationReplicas } from "./support/useCoordinationReplicas.js";

// The replica presence script: heartbeats, restored peers, late beats, a stale peer's share.
const replicas = useCoordinationReplicas();
const { replica } = replicas;

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
    expect(await replicas.admin.hkeys(`c${replicas.testId}:{v1:std}:replicas:synced`)).toEqual([
      a.coordination.replicaId,
    ]);
  });

  it("after a restart lost them, puts back known peers as stale and this replica's local sends into the pace window", async () => {
    const clock = new ManualClock();
    const a = await replica("compact", { paceClock: clock });
    await clock.advance(5000);
    const peers = await a.coordination.heartbeat({
      ...beat,
      restore: ["replica-b"],
      sends: [
        { id: "a:1", items: 300, sentAgeMs: 900, arrivedAgeMs: 800, pendingMs: 10_000 },
        { id: "a:2", items: 200, sentAgeMs: 100, pendingMs: 10_000 },
        { id: "a:0", items: 50, sentAgeMs: 2000, arrivedAgeMs: 1500, pendingMs: 10_000 }, // left the window
      ],
    });
    expect(peers).toEqual([{ id: "replica-b", ageMs: 1000, synced: false }]);
    const pace = `c${replicas.testId}:{v1:std}:pace`;
    // The answered send counts from when it reached the model; the unanswered one until it is answered.
    expect(await replicas.admin.zrange(pace, "0", "-1", "WITHSCORES")).toEqual([
      "a:a:1:4100:300",
      "4200",
      "p:a:2:4900:200",
      "14900",
    ]);
    // 500 items in the window: another 600 must wait for the first send to leave it (at 5200).
    expect(await a.coordination.pace(600, 1000, 1000)).toBe(200);
    await a.coordination.paceAnswered("a:2", 1000, 1000); // at 5000: 200 items reached it by 4900
    expect(await replicas.admin.zscore(pace, "a:a:2:4900:200")).toBe("4900");
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
    const pace = (items: number, id: string) => a.coordination.pace(items, 1000, 1000, 0, reserve, { id });
    expect(await pace(600, "a1")).toBe(0); // B is fresh
    await clock.advance(600);
    await a.coordination.paceAnswered("a1", 1000, 1000); // reached the model by 0
    await clock.advance(400);
    await a.coordination.heartbeat(beat); // B now silent for 1 s: it may be pacing alone at 500/s
    expect(await pace(600, "a2")).toBe(1000); // too big for 500
    expect(await pace(500, "a3")).toBe(0);
    await clock.advance(500);
    await a.coordination.paceAnswered("a3", 1000, 1000); // reached the model by 1000
    await clock.advance(500);
    await b.coordination.heartbeat(beat);
    expect(await a.coordination.pace(1000, 1000, 1000, 0, reserve)).toBe(0); // fresh again: all of it
  });
});
