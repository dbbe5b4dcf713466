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
    expect(await replicas.admin.zcard(`c${replicas.testId}:{v1:std}:pace`)).toBe(2); // A's first send left the window
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
    const ttl = await replicas.admin.pttl(`c${replicas.testId}:{v1:std}:pace`);
    expect(ttl).toBeGreaterThan(1900); // gone after two idle windows
    expect(ttl).toBeLessThanOrEqual(2050);
  });
});
