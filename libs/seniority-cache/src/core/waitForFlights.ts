import type { Flight } from "./Coalescer.js";
import { waitOrAbort } from "./waitOrAbort.js";

/** Waits for every flight (unless `signal` aborts) and writes each answer at its indices. */
export async function waitForFlights(
  waiting: readonly { indices: readonly number[]; flight: Flight<number> }[],
  levels: number[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const answers = await waitOrAbort(Promise.all(waiting.map((w) => w.flight.promise)), signal);
  waiting.forEach(({ indices }, i) => fill(levels, indices, answers[i]!));
}

export function fill(levels: number[], indices: readonly number[], level: number): void {
  for (const index of indices) levels[index] = level;
}
