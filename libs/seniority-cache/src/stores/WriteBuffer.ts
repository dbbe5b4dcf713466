import { FifoQueue } from "../core/FifoQueue.js";
import type { StoreEntry } from "./Store.js";

/**
 * ResilientStore's writes waiting for the store to come back: a FIFO of at most `capacity`
 * entries; pushing past it drops the oldest and counts them (`dropped`).
 */
export class WriteBuffer {
  private readonly queue = new FifoQueue<StoreEntry>();
  private droppedEntries = 0;

  constructor(private readonly capacity: number) {}

  get length(): number {
    return this.queue.length;
  }

  /** Entries lost because the buffer was full, since start. */
  get dropped(): number {
    return this.droppedEntries;
  }

  push(entries: readonly StoreEntry[]): void {
    for (const entry of entries) this.queue.push(entry);
    while (this.queue.length > this.capacity) {
      this.queue.shift();
      this.droppedEntries++;
    }
  }

  /** Removes and returns up to `count` entries, oldest first. */
  take(count: number): StoreEntry[] {
    const chunk: StoreEntry[] = [];
    while (chunk.length < count && this.queue.length > 0) chunk.push(this.queue.shift()!);
    return chunk;
  }

  /** Empties the buffer; returns how many entries it held. */
  clear(): number {
    const count = this.queue.length;
    while (this.queue.length > 0) this.queue.shift();
    return count;
  }
}
