import { systemClock, type Clock } from "@seniority/clock";

/** The window, ms: the model's capacity is stated per second. */
const WINDOW_MS = 1000;

/**
 * Items sent to the model in a sliding 1 s window, and the highest such count since the last
 * `takePeak()` (a scrape). A 5-minute rate averages a burst away; this shows the worst second.
 * The window sum only grows at a send, so checking it at each send finds the exact peak. Memory is
 * bounded by the sends of one second (guarded by eviction on every record and take).
 */
export class PeakItemsPerSecond {
  private readonly sends: { at: number; items: number }[] = [];
  private inWindow = 0;
  private peak = 0;

  constructor(private readonly clock: Clock = systemClock) {}

  /** Counts `items` sent now. */
  record(items: number): void {
    const now = this.clock.now();
    this.evict(now);
    this.sends.push({ at: now, items });
    this.inWindow += items;
    if (this.inWindow > this.peak) this.peak = this.inWindow;
  }

  /** The peak since the previous take; the next period starts from the current window's count. */
  takePeak(): number {
    this.evict(this.clock.now());
    const peak = this.peak;
    this.peak = this.inWindow;
    return peak;
  }

  /** Drops sends that are 1 s old or older: the window is (now - 1 s, now]. */
  private evict(now: number): void {
    let drop = 0;
    while (drop < this.sends.length && this.sends[drop]!.at <= now - WINDOW_MS) {
      this.inWindow -= this.sends[drop]!.items;
      drop++;
    }
    if (drop > 0) this.sends.splice(0, drop);
  }
}
