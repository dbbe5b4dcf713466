import { ManualClock } from "@seniority/clock";
import { describe, expect, it } from "vitest";
import { useCoordinationReplicas } from "./support/useCoordinationReplicas.js";

// The shared pacing script: every replica's sends against the model's capacity (client clock or Redis TIME).
const replicas = useCoordinationReplicas();
const { replica } = replicas;

describe("shared pacing script", () => {
  it("applies both rules to every replica's sends (client clock)", async () => {
    const clock = new ManualClock();
    const [a, b] = await Promise.all([
      replica("compact", { paceClock: clock }),
      replica("compact", { paceClock: clock }),
    ]);
    const pace = (r: typeof a, items: number, id: string) =>
      r.coordination.pace(items, 1000, 1000, 0, undefined, { id });
    const answered = (r: typeof a, id: string) => r.coordination.paceAnswered(id, 1000, 1000);
    expect(await pace(a, 400, "a1")).toBe(0);
    expect(await pace(b, 600, "b1")).toBe(400); // the model is busy with A's 400 items until t=400
    await clock.advance(400);
    await answered(a, "a1"); // 400 items at 1000/s: they reached the model by t=0
    expect(await pace(b, 600, "b1")).toBe(0);
    // Busy until 1000, and 1,001 items would be in (0, 1000] until A's send leaves at 1000.
    expect(await pace(a, 1, "a2")).toBe(600);
    await clock.advance(600);
    await answered(b, "b1"); // reached the model by t=400 (sent then)
    // The model is free, but B's 600 items (t=400) are in the window until 1400.
    expect(await pace(a, 1000, "a3")).toBe(400);
    expect(await pace(a, 400, "a4")).toBe(0);
    expect(await replicas.admin.zcard(`c${replicas.testId}:{v1:std}:pace`)).toBe(2); // A's first send left the window
  });

  it("counts a send as arriving now until it is answered, then from the latest moment it reached the model", async () => {
    const clock = new ManualClock();
    const [a, b] = await Promise.all([
      replica("compact", { paceClock: clock }),
      replica("compact", { paceClock: clock }),
    ]);
    const pace = (r: typeof a, items: number, id: string) =>
      r.coordination.pace(items, 1000, 1025, 0, undefined, { id });
    expect(await pace(a, 1000, "a1")).toBe(0);
    // A's batch is still unanswered 1.1 s later (a starved process, GC, the network): it may reach
    // the model only now, so B's 1,000 would make 2,000 in one of the model's seconds. Counted by
    // send time (before), B was let go.
    await clock.advance(1100);
    expect(await pace(b, 1000, "b1")).toBe(1); // the model should be free by now: ask again soon
    await clock.advance(400);
    await a.coordination.paceAnswered("a1", 1000, 1025); // at 1500: it reached the model by 500
    expect(await pace(b, 1000, "b1")).toBe(25); // it leaves the window at 500 + 1025
    await clock.advance(25);
    expect(await pace(b, 1000, "b1")).toBe(0);
    await clock.advance(1000);
    await b.coordination.paceAnswered("b1", 1000, 1025); // reached the model by 1525
    await clock.advance(1025);
    // An answer for a send no longer in the window changes nothing.
    await a.coordination.paceAnswered("a1", 1000, 1025);
    expect(await replicas.admin.zcard(`c${replicas.testId}:{v1:std}:pace`)).toBe(1);
    expect(await pace(a, 1000, "a2")).toBe(0);
  });

  it("a send its replica never answers (it died) counts until its pending bound, then as arrived then", async () => {
    const clock = new ManualClock();
    const [a, b] = await Promise.all([
      replica("compact", { paceClock: clock }),
      replica("compact", { paceClock: clock }),
    ]);
    expect(await a.coordination.pace(1000, 1000, 1000, 0, undefined, { id: "a1", pendingMs: 3000 })).toBe(0);
    await clock.advance(3999);
    expect(await b.coordination.pace(1, 1000, 1000)).toBe(1);
    await clock.advance(1);
    expect(await b.coordination.pace(1, 1000, 1000)).toBe(0); // 3000 + the window: gone
  });

  it("with a lead, lets a batch leave early and counts the model's queue (client clock)", async () => {
    const clock = new ManualClock();
    const [a, b] = await Promise.all([
      replica("compact", { paceClock: clock }),
      replica("compact", { paceClock: clock }),
    ]);
    const pace = (r: typeof a, items: number, id: string) =>
      r.coordination.pace(items, 20_000, 1025, 20, undefined, { id });
    expect(await pace(a, 1000, "s0")).toBe(0); // busy until 50
    expect(await pace(b, 1000, "s1")).toBe(30); // may leave at 50 − 20
    await clock.advance(30);
    expect(await pace(b, 1000, "s1")).toBe(0); // queued behind A's: busy until 100, not 80
    expect(await pace(a, 1000, "s2")).toBe(50);
    for (let sent = 2; sent < 20; sent++) {
      await clock.advance(50);
      // The send two before this one is served by now (50 ms each): its replica hears back.
      await (sent % 2 ? b : a).coordination.paceAnswered(`s${sent - 2}`, 20_000, 1025);
      expect(await pace(sent % 2 ? b : a, 1000, `s${sent}`)).toBe(0);
    }
    expect(clock.now()).toBe(930);
    // 20,000 items in the window: wait for the first send to leave it. Answered at 80, it reached
    // the model by 30 (50 ms of service), so it counts until 30 + 1025.
    expect(await pace(a, 1000, "s20")).toBe(1055 - 930);
  });

  it("runs on Redis TIME by default", async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    expect(await a.coordination.pace(1000, 1000, 1025)).toBe(0);
    const wait = await b.coordination.pace(1, 1000, 1025);
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1025);
    const ttl = await replicas.admin.pttl(`c${replicas.testId}:{v1:std}:pace`);
    expect(ttl).toBeGreaterThan(11_900); // gone after two idle windows past the pending bound (10 s)
    expect(ttl).toBeLessThanOrEqual(12_050);
  });
});
