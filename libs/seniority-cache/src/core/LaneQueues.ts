import { FifoQueue } from "./FifoQueue.js";
import type { Lane } from "@seniority/seniority-model";

/** An item waiting in a lane: moved to interactive by promote(), taken once into a batch. */
export interface LaneItem {
  readonly enqueuedAt: number;
  lane: Lane;
  // guarded by: set once, when the item is put in a batch (it may sit in two queues after promote)
  taken: boolean;
}

/**
 * The micro-batcher's two FIFO lanes and their counts. A promoted item is pushed onto the
 * interactive queue and left where it was in the bulk one: whichever queue reaches it first takes
 * it, the other skips it (no search, no removal from the middle).
 */
export class LaneQueues<P extends LaneItem> {
  private readonly queues: Record<Lane, FifoQueue<P>> = {
    interactive: new FifoQueue(),
    bulk: new FifoQueue(),
  };
  // guarded by: counts only items not yet taken, under their current lane
  private readonly counts: Record<Lane, number> = { interactive: 0, bulk: 0 };

  /** Items waiting in `lane` (promoted ones count as interactive). */
  count(lane: Lane): number {
    return this.counts[lane];
  }

  get total(): number {
    return this.counts.interactive + this.counts.bulk;
  }

  push(item: P): void {
    this.queues[item.lane].push(item);
    this.counts[item.lane]++;
  }

  /** Moves a bulk item ahead of bulk work; false (a no-op) once taken or already interactive. */
  promote(item: P): boolean {
    if (item.taken || item.lane === "interactive") return false;
    this.counts.bulk--;
    this.counts.interactive++;
    item.lane = "interactive";
    this.queues.interactive.push(item); // its bulk entry is skipped once taken
    return true;
  }

  /** When the oldest item still waiting in `lane` was queued; undefined if none waits. */
  oldestEnqueuedAt(lane: Lane): number | undefined {
    const queue = this.queues[lane];
    while (queue.peek()?.taken) queue.shift();
    return queue.peek()?.enqueuedAt;
  }

  /** Takes up to `size` items from the head of `lane`, marking them taken. */
  take(size: number, lane: Lane): P[] {
    const batch: P[] = [];
    const queue = this.queues[lane];
    while (batch.length < size && queue.length > 0) {
      const item = queue.shift()!;
      if (item.taken) continue;
      item.taken = true;
      this.counts[item.lane]--;
      batch.push(item);
    }
    return batch;
  }
}
