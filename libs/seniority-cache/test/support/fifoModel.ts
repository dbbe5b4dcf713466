import type { ManualClock } from "@seniority/clock";

/** One batch as the simulated model saw it, in the clock's ms. */
export interface Arrival {
  at: number;
  items: number;
  answeredAt: number;
}

/**
 * A model like model-sim on a ManualClock: one FIFO worker serving `capacity` items a second,
 * each batch answered when it is done; `netMs` each way between the batcher and the model.
 * `execute` is a MicroBatcher execute over strings (answers are the items upper-cased).
 */
export function fifoModel(clock: ManualClock, capacity: number, netMs = 0) {
  const arrivals: Arrival[] = [];
  let busyUntil = 0;
  const execute = async (items: string[]): Promise<string[]> => {
    if (netMs > 0) await clock.sleep(netMs);
    const at = clock.now();
    busyUntil = Math.max(at, busyUntil) + (items.length * 1000) / capacity;
    const arrival = { at, items: items.length, answeredAt: busyUntil + netMs };
    arrivals.push(arrival);
    await clock.sleep(arrival.answeredAt - at);
    return items.map((item) => item.toUpperCase());
  };
  return {
    execute,
    arrivals,
    /** Most items that arrived in any sliding window (t − 1 s, t] (model-sim's peakItemsPerSecond). */
    peakPerSecond: (): number =>
      Math.max(
        ...arrivals.map((a) =>
          arrivals.reduce((sum, b) => (b.at > a.at - 1000 && b.at <= a.at ? sum + b.items : sum), 0),
        ),
      ),
    /** Share of [from, to) the model spent serving (its utilization), from the arrivals. */
    busyShare: (from: number, to: number): number => {
      let busy = 0;
      for (const a of arrivals) {
        const end = a.answeredAt - netMs;
        const start = end - (a.items * 1000) / capacity;
        busy += Math.max(0, Math.min(end, to) - Math.max(start, from));
      }
      return busy / (to - from);
    },
  };
}
