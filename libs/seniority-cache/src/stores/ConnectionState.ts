/**
 * A connection's up/down as listeners see it: each change reported once ("close" repeats on every
 * failed reconnect attempt, so a repeat is dropped), and a wait for the next "up".
 */
export class ConnectionState {
  private readonly listeners = new Set<(connected: boolean) => void>();
  // The last value given to listeners.
  private reported = false;

  constructor(private readonly isConnected: () => boolean) {}

  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: (connected: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  report(connected: boolean): void {
    if (connected === this.reported) return;
    this.reported = connected;
    for (const listener of this.listeners) listener(connected);
  }

  /** Resolves to isConnected() once connected or after `timeoutMs`, whichever is first (never rejects). */
  async waitUntilConnected(timeoutMs: number): Promise<boolean> {
    if (this.isConnected()) return true;
    let timer: NodeJS.Timeout | undefined;
    let unsubscribe = (): void => undefined;
    try {
      return await new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(this.isConnected()), timeoutMs);
        unsubscribe = this.onChange((up) => up && resolve(true));
      });
    } finally {
      clearTimeout(timer);
      unsubscribe();
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
