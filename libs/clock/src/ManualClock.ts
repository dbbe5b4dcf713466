import type { Clock } from "./Clock.js";

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
}

/**
 * A clock that moves only when told to (tests). `advance(ms)` wakes every sleeper whose time has
 * come, in wake-up order, letting promise callbacks run between them.
 */
export class ManualClock implements Clock {
  private current: number;
  // guarded by: kept sorted by wakeAt (insertion keeps ties in FIFO order)
  private readonly sleepers: Sleeper[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Sleepers not yet woken. */
  get pending(): number {
    return this.sleepers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        const at = this.sleepers.indexOf(sleeper);
        if (at !== -1) this.sleepers.splice(at, 1);
        reject(signal?.reason);
      };
      const sleeper: Sleeper = {
        wakeAt: this.current + Math.max(0, ms),
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const index = this.sleepers.findIndex((s) => s.wakeAt > sleeper.wakeAt);
      this.sleepers.splice(index === -1 ? this.sleepers.length : index, 0, sleeper);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Moves time forward by `ms`, waking sleepers due on the way (each at its own time). */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const next = this.sleepers[0];
      if (!next || next.wakeAt > target) break;
      this.sleepers.shift();
      this.current = Math.max(this.current, next.wakeAt);
      next.resolve();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
