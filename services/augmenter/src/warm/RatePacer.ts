import type { Clock } from "@seniority/clock";

/**
 * Keeps warm-up sends at or under `itemsPerSecond`, on an injected clock: a batch of n leaves no
 * sooner than n / rate after the previous one (smooth spacing), and only while the items sent in
 * the last second plus n stay within the rate (a hard cap in any 1-second window).
 */
export class RatePacer {
  private nextAt = Number.NEGATIVE_INFINITY;
  // guarded by: sends of the last second only (pruned on every take), so at most rate / batch + 1
  private readonly recent: { at: number; items: number }[] = [];

  constructor(
    readonly itemsPerSecond: number,
    private readonly clock: Clock,
  ) {
    if (!(itemsPerSecond >= 1) || !Number.isFinite(itemsPerSecond)) {
      throw new RangeError(`itemsPerSecond must be a finite number >= 1, got ${itemsPerSecond}`);
    }
  }

  /**
   * Items a batch should hold so whole batches fill the rate: the rate split into
   * ceil(rate / maxBatch) equal batches, rounded down (rate 200 → 200; 2,500 with 1,000 → 833).
   */
  batchSize(maxBatch: number): number {
    const rate = Math.floor(this.itemsPerSecond);
    return Math.max(1, Math.floor(rate / Math.ceil(rate / maxBatch)));
  }

  /** Waits until a batch of `items` (≤ the rate) may leave, then counts it as sent now. */
  async take(items: number, signal?: AbortSignal): Promise<void> {
    if (items > this.itemsPerSecond)
      throw new RangeError(`a batch of ${items} exceeds the rate ${this.itemsPerSecond}/s`);
    for (;;) {
      const now = this.clock.now();
      while (this.recent.length > 0 && this.recent[0]!.at <= now - 1000) this.recent.shift();
      const inWindow = this.recent.reduce((sum, s) => sum + s.items, 0);
      // The window frees up when its oldest sends leave it; spacing frees up at nextAt.
      let waitUntil = this.nextAt;
      let excess = inWindow + items - this.itemsPerSecond;
      for (const send of this.recent) {
        if (excess <= 0) break;
        waitUntil = Math.max(waitUntil, send.at + 1000);
        excess -= send.items;
      }
      if (waitUntil <= now) {
        this.recent.push({ at: now, items });
        this.nextAt = now + (items * 1000) / this.itemsPerSecond;
        return;
      }
      await this.clock.sleep(waitUntil - now, signal);
    }
  }
}
