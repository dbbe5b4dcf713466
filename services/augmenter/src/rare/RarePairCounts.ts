import { PairIndex } from "../PairIndex.js";

interface Entry {
  /** Files that saw the pair since `since`. */
  count: number;
  /** Window position of its first sighting. */
  since: number;
}

interface Arrival {
  company: string;
  title: string;
  since: number;
}

/**
 * How many files saw each uncached pair within the window, with bounded memory: at most
 * `maxPairs` pairs are counted (a pair beyond them is not counted: the caller infers it at once,
 * never defers it). A pair's count runs from its first sighting and is forgotten `span` positions
 * later (expire); a later sighting starts a new count. Positions only grow in the large (files
 * of one run start in name order); a file started a little out of order is counted at its own
 * position and expires with the others in arrival order.
 */
export class RarePairCounts {
  private readonly entries = new PairIndex<Entry>();
  /** Pairs in order of first sighting (for expiry); `head` is the oldest not yet looked at. */
  private arrivals: Arrival[] = [];
  private head = 0;

  constructor(
    readonly maxPairs: number,
    readonly span: number,
  ) {
    if (!Number.isInteger(maxPairs) || maxPairs < 1)
      throw new RangeError(`maxPairs must be a positive integer, got ${maxPairs}`);
  }

  /** Pairs counted now. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * One more file saw the pair at `position`: its count in the window, this file included, or
   * undefined when the pair is new and `maxPairs` are counted already (not counted).
   */
  add(company: string, title: string, position: number): number | undefined {
    const entry = this.entries.get(company, title);
    if (entry) return ++entry.count;
    if (this.entries.size >= this.maxPairs) return undefined;
    this.entries.set(company, title, { count: 1, since: position });
    this.arrivals.push({ company, title, since: position });
    return 1;
  }

  /** Forgets the pairs first seen `span` or more positions before `current`. */
  expire(current: number): void {
    const { arrivals } = this;
    while (this.head < arrivals.length && arrivals[this.head]!.since + this.span <= current) {
      const { company, title, since } = arrivals[this.head++]!;
      if (this.entries.get(company, title)?.since === since) this.entries.delete(company, title);
    }
    if (this.head > 1024 && this.head * 2 > arrivals.length) {
      this.arrivals = arrivals.slice(this.head);
      this.head = 0;
    }
  }
}
