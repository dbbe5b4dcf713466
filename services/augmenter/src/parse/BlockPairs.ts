import { PairIndex } from "../PairIndex.js";

/**
 * The distinct (company, title) pairs of one block, first seen first, and the index of each
 * line's pair. A pair read from the bytes (scanJsonLine) is looked up by a hash of its bytes
 * first, so a pair seen before in the block — most lines: a file repeats its pairs — is neither
 * decoded nor hashed as strings again. A new one is decoded and entered by its strings, which also
 * matches the same pair written another way (escapes, from parseLineText).
 */
export class BlockPairs {
  readonly companies: string[] = [];
  readonly titles: string[] = [];
  private readonly byStrings = new PairIndex<number>();
  /** Bytes hash → the newest pair index with that hash; older ones chained through `sameHash`. */
  private readonly byHash = new Map<number, number>();
  private readonly sameHash: number[] = [];
  /** Per pair: where its company and title bytes were first seen (−1: entered by strings only). */
  private readonly spans: number[] = [];

  constructor(private readonly bytes: Buffer) {}

  /** The pair whose company is bytes[companyStart, companyEnd) and title [titleStart, titleEnd), escape-free. */
  fromBytes(companyStart: number, companyEnd: number, titleStart: number, titleEnd: number): number {
    const { bytes } = this;
    // FNV-1a over company, a separator byte UTF-8 never contains, then title.
    let hash = 0x811c9dc5;
    for (let i = companyStart; i < companyEnd; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    hash = Math.imul(hash ^ 0xff, 0x01000193);
    for (let i = titleStart; i < titleEnd; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
    for (let index = this.byHash.get(hash) ?? -1; index !== -1; index = this.sameHash[index]!) {
      const at = 4 * index;
      if (
        this.spans[at] !== -1 &&
        same(bytes, this.spans[at]!, this.spans[at + 1]!, companyStart, companyEnd) &&
        same(bytes, this.spans[at + 2]!, this.spans[at + 3]!, titleStart, titleEnd)
      )
        return index;
    }
    const index = this.fromStrings(
      bytes.toString("utf8", companyStart, companyEnd),
      bytes.toString("utf8", titleStart, titleEnd),
    );
    if (this.spans[4 * index] === -1) {
      // Known by strings only so far: let its bytes find it from now on.
      this.spans.splice(4 * index, 4, companyStart, companyEnd, titleStart, titleEnd);
      this.sameHash[index] = this.byHash.get(hash) ?? -1;
      this.byHash.set(hash, index);
    }
    return index;
  }

  fromStrings(company: string, title: string): number {
    let index = this.byStrings.get(company, title);
    if (index === undefined) {
      index = this.companies.push(company) - 1;
      this.titles.push(title);
      this.spans.push(-1, -1, -1, -1);
      this.sameHash.push(-1);
      this.byStrings.set(company, title, index);
    }
    return index;
  }
}

function same(bytes: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (bytes[aStart + i] !== bytes[bStart + i]) return false;
  return true;
}
