import type { Pair } from "@seniority/seniority-client";

type Generation = Map<string, Map<string, number>>;

/**
 * Exact (company, title) → level, bounded by entries: the augmenter's local cache, shared by
 * every file of a run. Keyed company → title (two Map lookups on strings the parser already
 * made, instead of building and hashing a joined key per lookup, which cost more than the rest
 * of the lookup). Eviction is by generation, an approximation of LRU: new entries go to the young
 * generation; when it holds half of `maxEntries` it becomes the old one (the previous old one is
 * dropped); a hit in the old generation moves the entry back to the young one. So an entry used
 * within the last `maxEntries / 2` insertions is always kept, and at most `maxEntries` are held
 * (2 when `maxEntries` is 1).
 * Levels never change within a namespace, so entries need no expiry.
 */
export class PairLevelCache {
  private young: Generation = new Map();
  private old: Generation = new Map();
  private youngEntries = 0;
  private oldEntries = 0;
  private readonly generationEntries: number;

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
    this.generationEntries = Math.max(1, Math.floor(maxEntries / 2));
  }

  /** Entries held now. */
  get size(): number {
    return this.youngEntries + this.oldEntries;
  }

  get(pair: Pair): number | undefined {
    const level = this.young.get(pair.company)?.get(pair.title);
    if (level !== undefined) return level;
    const old = this.old.get(pair.company)?.get(pair.title);
    if (old === undefined) return undefined;
    this.removeOld(pair);
    this.add(pair, old);
    return old;
  }

  set(pair: Pair, level: number): void {
    const titles = this.young.get(pair.company);
    if (titles?.has(pair.title)) {
      titles.set(pair.title, level);
      return;
    }
    this.removeOld(pair);
    this.add(pair, level);
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
    this.youngEntries = 0;
    this.oldEntries = 0;
  }

  private removeOld(pair: Pair): void {
    const titles = this.old.get(pair.company);
    if (!titles?.delete(pair.title)) return;
    if (titles.size === 0) this.old.delete(pair.company);
    this.oldEntries--;
  }

  /** Adds to the young generation a pair it does not hold (it may be in the old one). */
  private add(pair: Pair, level: number): void {
    if (this.youngEntries >= this.generationEntries) {
      this.old = this.young;
      this.oldEntries = this.youngEntries;
      this.young = new Map();
      this.youngEntries = 0;
    }
    let titles = this.young.get(pair.company);
    if (!titles) {
      titles = new Map();
      this.young.set(pair.company, titles);
    }
    titles.set(pair.title, level);
    this.youngEntries++;
  }
}
