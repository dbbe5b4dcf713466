import type { SeniorityPair } from "@seniority/seniority-model";

/** A tracked pair: `count` may overcount by up to `error` (it took an evicted pair's slot). */
export interface CountedPair {
  pair: SeniorityPair;
  count: number;
  error: number;
}

/**
 * Pair frequencies in bounded memory: the Space-Saving algorithm (Metwally, Agrawal, El Abbadi,
 * 2005) over at most `capacity` counters. While fewer distinct pairs than that were seen, counts
 * are exact. Past it, a new pair takes the slot of the least-counted one and inherits its count as
 * `error`, so `count − error ≤ true count ≤ count`, and every pair seen more than lines / capacity
 * times is guaranteed to hold a counter. A min-heap over the counts makes each add O(log capacity).
 * Pairs are identified by `id` (the caller's key, e.g. the pair key under the proxy's
 * normalization); the spelling kept is the one that took the slot.
 */
export class PairCounter {
  private readonly slotOf = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly pairs: SeniorityPair[] = [];
  private readonly counts: number[] = [];
  private readonly errors: number[] = [];
  /** heap[i] = a slot; counts[heap[parent]] ≤ counts[heap[child]]. position[slot] = its index in heap. */
  private readonly heap: number[] = [];
  private readonly position: number[] = [];
  private seen = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
  }

  /** Lines counted. */
  get total(): number {
    return this.seen;
  }

  /** Pairs holding a counter now (≤ capacity). */
  get tracked(): number {
    return this.ids.length;
  }

  add(id: string, pair: SeniorityPair): void {
    this.seen++;
    const slot = this.slotOf.get(id);
    if (slot !== undefined) {
      this.counts[slot]!++;
      this.siftDown(this.position[slot]!);
      return;
    }
    if (this.ids.length < this.capacity) {
      const fresh = this.ids.length;
      this.ids.push(id);
      this.pairs.push(pair);
      this.counts.push(1);
      this.errors.push(0);
      this.heap.push(fresh);
      this.position.push(this.heap.length - 1);
      this.siftUp(this.heap.length - 1);
      this.slotOf.set(id, fresh);
      return;
    }
    const least = this.heap[0]!;
    const floor = this.counts[least]!;
    this.slotOf.delete(this.ids[least]!);
    this.slotOf.set(id, least);
    this.ids[least] = id;
    this.pairs[least] = pair;
    this.errors[least] = floor;
    this.counts[least] = floor + 1;
    this.siftDown(0);
  }

  /**
   * The `limit` most counted pairs whose guaranteed count (count − error) is at least `minCount`,
   * most counted first; ties by fewer error, then by id, so the order is deterministic.
   */
  top(limit: number, minCount = 1): CountedPair[] {
    const slots: number[] = [];
    for (let s = 0; s < this.ids.length; s++)
      if (this.counts[s]! - this.errors[s]! >= minCount) slots.push(s);
    slots.sort(
      (a, b) =>
        this.counts[b]! - this.counts[a]! ||
        this.errors[a]! - this.errors[b]! ||
        (this.ids[a]! < this.ids[b]! ? -1 : this.ids[a]! > this.ids[b]! ? 1 : 0),
    );
    return slots
      .slice(0, limit)
      .map((s) => ({ pair: this.pairs[s]!, count: this.counts[s]!, error: this.errors[s]! }));
  }

  private siftUp(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.counts[this.heap[parent]!]! <= this.counts[this.heap[i]!]!) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(index: number): void {
    let i = index;
    const n = this.heap.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < n && this.counts[this.heap[left]!]! < this.counts[this.heap[least]!]!) least = left;
      if (right < n && this.counts[this.heap[right]!]! < this.counts[this.heap[least]!]!) least = right;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i]!;
    const b = this.heap[j]!;
    this.heap[i] = b;
    this.heap[j] = a;
    this.position[b] = i;
    this.position[a] = j;
  }
}
