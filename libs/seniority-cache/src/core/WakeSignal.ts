import type { Clock } from "@seniority/clock";

/**
 * One loop's sleep: wait() resolves at the next notify(), or after `timeoutMs` on the injected
 * clock (the timer is cleared on wake). Only one waiter at a time (the loop).
 */
export class WakeSignal {
  private wake: (() => void) | undefined;

  constructor(private readonly clock: Clock) {}

  /** Until notify(), or `timeoutMs` (undefined: no timeout). */
  wait(timeoutMs?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = new AbortController();
      this.wake = () => {
        timer.abort();
        resolve();
      };
      if (timeoutMs === undefined) return;
      this.clock.sleep(timeoutMs, timer.signal).then(
        () => {
          this.wake = undefined;
          resolve();
        },
        () => {},
      );
    });
  }

  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
