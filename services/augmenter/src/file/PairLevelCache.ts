import type { SeniorityPair } from "@seniority/seniority-model";

import { PairIndex } from "../PairIndex.js";

type Generation = PairIndex<number>;

/**
 * Exact (company, title) → level, bounded by entries: the augmenter's local cache, shared by
 * every file of a run. Keyed company → title (PairIndex). Eviction is by generation, an
 * approximation of LRU: new entries go to the young
 * generation; when it holds half of `maxEntries` it becomes the old one (the previous old one is
 * dropped); a hit in the old generation moves the entry back to the young one. So an entry used
 * within the last `maxEntries / 2` insertions is always kept, and at most `maxEntries` are held
 * (2 when `maxEntries` is 1).
 * Levels never change within a namespace, so entries need no expiry.
 */
export class PairLevelCache {
  private young: Generation = new PairIndex();
  private old: Generation = new PairIndex();
  private readonly generationEntries: number;

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    this.generationEntries = Math.max(1, Math.floor(maxEntries / 2));
  }

  /** Entries held now. */
  get size(): number {
    return this.young.size + this.old.size;
  }

  get(pair: SeniorityPair): number | undefined {
    const level = this.young.get(pair.company, pair.title);
    if (level !== undefined) return level;
    const old = this.old.get(pair.company, pair.title);
    if (old === undefined) return undefined;
    this.old.delete(pair.company, pair.title);
    this.add(pair, old);
    return old;
  }

  set(pair: SeniorityPair, level: number): void {
    if (this.young.has(pair.company, pair.title)) {
      this.young.set(pair.company, pair.title, level);
      return;
    }
    this.old.delete(pair.company, pair.title);
    this.add(pair, level);
  }

  clear(): void {
    this.young = new PairIndex();
    this.old = new PairIndex();
  }

  /** Adds to the young generation a pair it does not hold (it may be in the old one). */
  private add(pair: SeniorityPair, level: number): void {
    if (this.young.size >= this.generationEntries) {
      this.old = this.young;
      this.young = new PairIndex();
    }
    this.young.set(pair.company, pair.title, level);
  }
}
