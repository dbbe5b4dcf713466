import { pairKey, spellingKey, type NormalizationMode } from "@seniority/pair-key";

/**
 * Remembers the hex pair key of (company, title) spellings seen recently, keyed by the exact raw
 * strings (spellingKey: length-prefixed, so no two pairs share an entry), so a repeated spelling
 * skips normalization (NFKC + regex per field) and MD5 — the bulk of a request's cost when every
 * pair is an L1 hit. Always correct: one exact spelling has exactly one key under a given mode,
 * and the memo holds keys only, never answers (invalidation needs no hook here; answers stay in
 * the hex-keyed L1).
 *
 * Bounded by two generations of plain Maps (cheaper than an LRU on every hit): new spellings go
 * into the current one; when it holds `maxEntries`, it becomes the previous one and the old
 * previous one is dropped. A hit in the previous generation is copied forward, so a spelling in use
 * survives. At most 2 × maxEntries entries (~150 bytes each for typical pairs).
 */
export class PairKeyMemo {
  private current = new Map<string, string>();
  private previous = new Map<string, string>();
  private readonly maxEntries: number;

  /** @param maxEntries spellings per generation (>= 0; 0 disables the memo). */
  constructor(
    private readonly mode: NormalizationMode,
    maxEntries: number,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) {
      throw new Error(`maxEntries must be an integer >= 0, got ${maxEntries}`);
    }
    this.maxEntries = maxEntries;
  }

  /** The remembered hex key of this exact spelling, if any. */
  peek(company: string, title: string): string | undefined {
    return this.find(spellingKey(company, title));
  }

  /** The pair key (computed, or from the memo) and its hex, remembering the spelling. */
  keyOf(company: string, title: string): { hex: string; key: Buffer } {
    // One concatenation per call (the lookup and the insert share it): this runs once per new pair.
    const text = spellingKey(company, title);
    const hex = this.find(text);
    if (hex !== undefined) return { hex, key: Buffer.from(hex, "hex") };
    const key = pairKey(company, title, this.mode);
    const computed = key.toString("hex");
    this.remember(text, computed);
    return { hex: computed, key };
  }

  private find(text: string): string | undefined {
    const hex = this.current.get(text);
    if (hex !== undefined || this.previous.size === 0) return hex;
    const old = this.previous.get(text);
    if (old !== undefined) this.remember(text, old);
    return old;
  }

  /** Spellings held (both generations). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  private remember(text: string, hex: string): void {
    if (this.maxEntries === 0) return;
    if (this.current.size >= this.maxEntries) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(text, hex);
  }
}
