import { LRUCache } from "lru-cache";
import { applyNoise } from "./applyNoise.js";
import { buildCompanyName } from "./buildCompanyName.js";
import { buildTitle } from "./buildTitle.js";
import { companySlug } from "./buildUrl.js";
import { Prng } from "./Prng.js";

/** How pairs are drawn; see DEFAULT_UNIVERSE_SHAPE for the reasoning behind each number. */
export interface UniverseShape {
  /** Long-run share of lines that bring a never-seen pair (r). */
  newPairShare: number;
  /** Cold start (k, lines): a line is new with p(n) = r + (1 − r)·k/(k + n), n = lines so far. */
  warmupLines: number;
  /** Zipf offset q: an existing pair of popularity rank i is drawn with P ∝ 1/(i + q). */
  zipfOffset: number;
  /** Share of new pairs that are one-offs: written once, never drawn again (the long tail). */
  oneOffShare: number;
  /** Share of non-new lines that repeat one of the last `recentWindow` recurring pairs (locality). */
  recentShare: number;
  recentWindow: number;
}

/**
 * SPEC: 1.8B postings held 20M distinct pairs (~1.1%), so r = 0.011: a long stream's distinct
 * ratio approaches r from above (expected distinct after n lines: r·n + (1 − r)·k·ln(1 + n/k)).
 * q = 50 keeps the most popular pair near 0.3% of lines instead of Zipf's 6%. Half the new pairs
 * are one-offs (SPEC: "many pairs are seen once"); the others enter at the bottom popularity
 * rank, so they too are seen a few times at most for a long while. Scrapers post a
 * company's jobs together, so half of the repeats come from the last 400 lines: a file repeats
 * pairs far more than the global draw alone would make it.
 */
export const DEFAULT_UNIVERSE_SHAPE: UniverseShape = {
  newPairShare: 0.011,
  warmupLines: 2000,
  zipfOffset: 50,
  oneOffShare: 0.5,
  recentShare: 0.5,
  recentWindow: 400,
};

/** Pairs kept built (their strings are derived from the index, so this is only a speed-up). */
const PAIR_CACHE_ENTRIES = 50_000;

/** A pair, with what the line writer needs of it prepared once. */
export interface Pair {
  /** Equal ids ⇒ equal strings (the reverse can fail: two ids may build the same strings). */
  id: number;
  company: string;
  title: string;
  companyJson: string;
  titleJson: string;
  slug: string;
}

/**
 * A growing universe of (company, title) pairs. Pair i is a pure function of (seed, i), so the
 * universe holds only the indices of its recurring pairs (4 bytes each), a window of recent
 * draws and a bounded cache of built pairs.
 */
export class PairUniverse {
  private size = 0;
  private drawn = 0;
  /** Indices of recurring (not one-off) pairs, oldest (most popular) first. */
  private recurring = new Int32Array(1024);
  private recurringCount = 0;
  /** Ring of the last `recentWindow` recurring pairs drawn; `recentSeen` counts every push. */
  private readonly recent: Int32Array;
  private recentSeen = 0;
  private readonly cache = new LRUCache<number, Pair>({ max: PAIR_CACHE_ENTRIES });

  constructor(
    private readonly seed: number,
    private readonly shape: UniverseShape = DEFAULT_UNIVERSE_SHAPE,
  ) {
    this.recent = new Int32Array(shape.recentWindow);
  }

  /** Pairs created so far. */
  get pairs(): number {
    return this.size;
  }

  /** The index of the pair for the next line; a new pair takes the next free index. */
  nextIndex(prng: Prng): number {
    const { newPairShare: r, warmupLines: k, zipfOffset: q, recentShare, recentWindow } = this.shape;
    const n = this.drawn;
    this.drawn = n + 1;
    const recentCount = Math.min(this.recentSeen, recentWindow);
    if (this.recurringCount === 0 || prng.chance(r + ((1 - r) * k) / (k + n))) return this.newPair();
    let index: number;
    if (recentCount > 0 && prng.chance(recentShare)) {
      index = this.recent[prng.int(recentCount)]! | 0;
    } else {
      // Inverse CDF of the continuous 1/(x + q) density on [0, count): log-uniform in x + q.
      const count = this.recurringCount;
      const rank = Math.min(
        count - 1,
        Math.floor(Math.exp(Math.log(q) + prng.float() * Math.log((count + q) / q)) - q),
      );
      index = this.recurring[rank]! | 0;
    }
    this.remember(index);
    return index;
  }

  /**
   * Pair `index` as written; `variant` gives the pair's one case/spacing variant (fixed per pair,
   * as one scraper source keeps writing a name its way).
   */
  pairOf(index: number, variant = false): Pair {
    const id = index * 2 + (variant ? 1 : 0);
    let pair = this.cache.get(id);
    if (pair === undefined) {
      let text = { company: this.companyOf(index), title: buildTitle(new Prng(this.seed, 3, index)) };
      if (variant) text = applyNoise(text, new Prng(this.seed, 5, index));
      pair = {
        id,
        ...text,
        companyJson: JSON.stringify(text.company),
        titleJson: JSON.stringify(text.title),
        slug: companySlug(text.company),
      };
      this.cache.set(id, pair);
    }
    return pair;
  }

  private newPair(): number {
    const index = this.size++;
    if (new Prng(this.seed, 6, index).float() >= this.shape.oneOffShare) {
      if (this.recurringCount === this.recurring.length) {
        const grown = new Int32Array(this.recurring.length * 2);
        grown.set(this.recurring);
        this.recurring = grown;
      }
      this.recurring[this.recurringCount++] = index;
      this.remember(index);
    }
    return index;
  }

  private remember(index: number): void {
    this.recent[this.recentSeen % this.shape.recentWindow] = index;
    this.recentSeen += 1;
  }

  /** Companies grow with the pairs (about one per four); big companies own many pairs (Zipf, q = 5). */
  private companyOf(index: number): string {
    const prng = new Prng(this.seed, 2, index);
    const companies = 20 + Math.floor(index / 4);
    const company = Math.floor(Math.exp(Math.log(5) + prng.float() * Math.log((companies + 5) / 5)) - 5);
    return buildCompanyName(new Prng(this.seed, 4, company));
  }
}
