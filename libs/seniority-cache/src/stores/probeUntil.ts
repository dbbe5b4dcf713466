import type { Clock } from "@seniority/clock";

/** How often a store that tells its connection state is checked while degraded, ms. */
const CONNECTED_CHECK_MS = 50;

/** A store that tells whether it is connected now (Redis: the ioredis client's status). */
export interface ConnectionAware {
  readonly connected: boolean;
}

export function isConnectionAware(store: object): store is ConnectionAware {
  return typeof (store as Partial<ConnectionAware>).connected === "boolean";
}

export interface ProbeUntilOptions {
  clock: Clock;
  /** A probe at least this often, ms. */
  intervalMs: number;
  /** Stops the loop (close). */
  signal: AbortSignal;
  /** The store's connection state, when it tells it: a reconnect is probed at once. */
  connected?: () => boolean;
  /** True once recovered: the loop ends. */
  done: () => boolean;
  /** One recovery attempt (never throws). */
  probe: () => Promise<void>;
}

/**
 * The degraded store's recovery loop: `probe` every `intervalMs` until `done`; a store that tells
 * its connection state is probed as soon as it reconnects, so claims and shared pacing are back
 * (and the writes replayed) within CONNECTED_CHECK_MS, not an interval later.
 */
export async function probeUntil(options: ProbeUntilOptions): Promise<void> {
  const { clock, intervalMs, signal, connected = () => true } = options;
  const watch = options.connected !== undefined;
  let wasConnected = connected();
  let sinceProbeMs = 0;
  while (!options.done() && !signal.aborted) {
    const stepMs = watch ? Math.min(CONNECTED_CHECK_MS, intervalMs) : intervalMs;
    try {
      await clock.sleep(stepMs, signal);
    } catch {
      return; // closing
    }
    sinceProbeMs += stepMs;
    const reconnected = connected() && !wasConnected;
    wasConnected = connected();
    if (!reconnected && sinceProbeMs < intervalMs) continue;
    sinceProbeMs = 0;
    await options.probe();
  }
}
