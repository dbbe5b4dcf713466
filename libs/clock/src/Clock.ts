/**
 * Time as a dependency, so pacing and scheduling can be tested exactly (ManualClock) instead of
 * with sleeps. Milliseconds throughout.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale (not wall time). */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
