import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { ReplicaPresence } from "../src/replicas/ReplicaPresence.js";
import type { Heartbeat, PeerState } from "../src/replicas/ReplicaCoordination.js";

/** A presence whose heartbeat() answers with the next queued reply (peers, or an Error). */
function setup(replies: (PeerState[] | Error)[]) {
  const clock = new ManualClock();
  const beats: Heartbeat[] = [];
  let synced = true;
  const presence = new ReplicaPresence({
    coordination: {
      async heartbeat(beat) {
        beats.push(beat);
        const reply = replies.shift() ?? [];
        if (reply instanceof Error) throw reply;
        return reply;
      },
    },
    clock,
    synced: () => synced,
    windowMs: 1060,
    maxDeferMs: 5000,
  });
  return { clock, beats, presence, setSynced: (value: boolean) => (synced = value) };
}

const peer = (id: string, ageMs: number, synced = true): PeerState => ({ id, ageMs, synced });

describe("ReplicaPresence", () => {
  it("counts replicas and stale peers from the last heartbeat, and keeps them while Redis is unreachable", async () => {
    const { presence } = setup([[peer("b", 100), peer("c", 1500)], new Error("down")]);
    expect([presence.replicas, presence.silentForMs]).toEqual([1, Number.POSITIVE_INFINITY]);
    expect(await presence.beat()).toBe(true);
    expect([presence.replicas, presence.stalePeers, presence.silentForMs]).toEqual([3, 1, 0]);
    expect(await presence.beat()).toBe(false);
    expect([presence.replicas, presence.stalePeers]).toEqual([3, 1]);
  });

  it("peers may see it fresh until staleMs after its last beat, or after a failed one's sending + lateBeatMs (a frozen Redis runs it later)", async () => {
    const { clock, beats, presence } = setup([[], new Error("socket timeout")]);
    expect(presence.freshForPeersMs).toBe(0);
    const first = presence.beat();
    await clock.advance(20); // a round trip of 20 ms
    expect(await first).toBe(true);
    expect(presence.freshForPeersMs).toBe(1000);
    await clock.advance(230);
    const second = presence.beat(); // sent at 250, Redis frozen: fails after 1 s
    await clock.advance(1000);
    expect(await second).toBe(false);
    expect(beats.map((b) => [b.sentAt, b.lateMs])).toEqual([
      [0, 250],
      [250, 250],
    ]);
    // Not stale at 1,020 (the last success + 1 s): the failed beat may still land by 250 + 20 + 250 + 10.
    expect(presence.freshForPeersMs).toBe(250 + 20 + 250 + 10 + 1000 - 1250);
    await clock.advance(280);
    expect(presence.freshForPeersMs).toBe(0);
  });

  it("a beat refused at once because Redis is not connected (never written) does not count as possibly fresh", async () => {
    const connection = { connected: true };
    const clock = new ManualClock();
    const presence = new ReplicaPresence({
      coordination: {
        get connected() {
          return connection.connected;
        },
        async heartbeat() {
          if (!connection.connected) throw new Error("Stream isn't writeable");
          return [];
        },
      },
      clock,
      synced: () => true,
      windowMs: 1060,
    });
    expect(await presence.beat()).toBe(true);
    await clock.advance(1000);
    connection.connected = false;
    expect(await presence.beat()).toBe(false);
    expect(presence.freshForPeersMs).toBe(0);
  });

  it("after a failed heartbeat, the next one puts the known peers back (once); heartbeats carry the sends to fold until one succeeds", async () => {
    const { presence, beats, setSynced } = setup([
      [peer("b", 100)],
      new Error("down"),
      [peer("b", 1000)],
      [],
    ]);
    await presence.beat();
    await presence.beat();
    setSynced(false);
    const send = { id: "a:1", items: 40, sentAgeMs: 300, pendingMs: 10_000 };
    let pending = [send];
    presence.foldFrom(() => ({ sends: pending, folded: () => (pending = []) }));
    await presence.beat();
    await presence.beat();
    expect(beats.map((beat) => [beat.restore, beat.sends, beat.synced])).toEqual([
      [[], [], true],
      [[], [], true],
      [["b"], [send], false],
      [[], [], false],
    ]);
    expect(beats[0]).toMatchObject({ staleMs: 1000, expiryMs: 10_000, windowMs: 1060 });
  });

  it("trusts claims only while it and every peer are fresh and synced, or after maxDeferMs", async () => {
    const { clock, presence } = setup([
      [peer("b", 100)],
      [peer("b", 1200, true)],
      [peer("b", 100, false)],
      [],
    ]);
    expect(presence.claimsTrusted).toBe(false); // never heard from Redis
    await presence.beat();
    expect(presence.claimsTrusted).toBe(true);
    await clock.advance(1000);
    expect(presence.claimsTrusted).toBe(false); // its own heartbeat is stale
    await presence.beat();
    expect(presence.claimsTrusted).toBe(false); // b is stale: it may be inferring alone
    await presence.beat();
    expect(presence.claimsTrusted).toBe(false); // b is not synced
    await clock.advance(4000);
    await presence.beat();
    expect(presence.claimsTrusted).toBe(true);
    await clock.advance(1000);
    expect(presence.claimsTrusted).toBe(false);
  });

  it("gives up waiting for peers after maxDeferMs (availability first)", async () => {
    const { clock, presence } = setup([[peer("b", 100, false)], [peer("b", 100, false)]]);
    await presence.beat();
    expect(presence.claimsTrusted).toBe(false);
    await clock.advance(900);
    await presence.beat();
    await clock.advance(100);
    expect(presence.claimsTrusted).toBe(false);
    await clock.advance(4000);
    expect(presence.claimsTrusted).toBe(true);
  });
});
