import type { ManualClock } from "@seniority/clock";
import { expect, vi } from "vitest";

/** Waits (in real time, briefly) until the simulator holds `n` calls in its queue. */
export async function untilQueued(clock: ManualClock, n: number): Promise<void> {
  await vi.waitFor(() => expect(clock.pending).toBe(n), { interval: 2 });
}
