import { normalizeText, spellingKey } from "@seniority/pair-key";
import { BAD_LINE_KINDS, type BadLineKind } from "./buildBadLine.js";
import type { GeneratedLine } from "./generatePostings.js";

export interface PostingCounts {
  files: number;
  lines: number;
  goodLines: number;
  badLines: number;
  badLinesByKind: Record<BadLineKind, number>;
  /** Bytes written, newlines included. */
  bytes: number;
  /** Distinct (company, title) among good lines, byte for byte. */
  distinctPairs: number;
  /**
   * Distinct after pair-key's `standard` normalization (NFKC, trim, collapse spaces): the keys the
   * cache makes by default, so the model inferences a cold cache needs.
   */
  distinctPairsStandard: number;
  /** Distinct after pair-key's `casefold` normalization (standard + lower-case; opt-in in the cache). */
  distinctPairsCasefold: number;
}

/** Counts what the generator wrote. Memory grows with distinct pairs (an id set and three string sets). */
export class PostingTally {
  private files = 0;
  private lines = 0;
  private bytes = 0;
  private readonly bad = Object.fromEntries(BAD_LINE_KINDS.map((kind) => [kind, 0])) as Record<
    BadLineKind,
    number
  >;
  private readonly ids = new Set<number>();
  private readonly exact = new Set<string>();
  private readonly standard = new Set<string>();
  private readonly casefold = new Set<string>();

  /** Bytes written (counted by the writer per chunk: measuring each line again would cost ~10%). */
  addBytes(bytes: number): void {
    this.bytes += bytes;
  }

  addFile(): void {
    this.files += 1;
  }

  add(line: GeneratedLine): void {
    this.lines += 1;
    if (line.kind !== "good") {
      this.bad[line.kind] += 1;
      return;
    }
    // An id seen before means strings seen before: skip the string work (most lines).
    if (line.pairId !== undefined) {
      if (this.ids.has(line.pairId)) return;
      this.ids.add(line.pairId);
    }
    const company = line.company ?? "";
    const title = line.title ?? "";
    const key = spellingKey(company, title);
    if (this.exact.has(key)) return;
    this.exact.add(key);
    this.standard.add(spellingKey(normalizeText(company, "standard"), normalizeText(title, "standard")));
    this.casefold.add(spellingKey(normalizeText(company, "casefold"), normalizeText(title, "casefold")));
  }

  counts(): PostingCounts {
    const badLines = Object.values(this.bad).reduce((a, b) => a + b, 0);
    return {
      files: this.files,
      lines: this.lines,
      goodLines: this.lines - badLines,
      badLines,
      badLinesByKind: { ...this.bad },
      bytes: this.bytes,
      distinctPairs: this.exact.size,
      distinctPairsStandard: this.standard.size,
      distinctPairsCasefold: this.casefold.size,
    };
  }
}
