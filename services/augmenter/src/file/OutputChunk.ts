import type { SeniorityPair } from "@seniority/seniority-model";
import { GOOD_FIELDS, type ParsedBlock } from "../parse/parseBlock.js";
import { spliceSeniority } from "../jsonl/spliceSeniority.js";
import { PairIndex } from "../PairIndex.js";

const LF = 0x0a;
/** `,"seniority":N` by level. */
const MEMBERS = Array.from({ length: 8 }, (_, level) => Buffer.from(`,"seniority":${level}`));
/** A deferred pair's line (rare-pair policy): no level yet, said explicitly. */
const PENDING_MEMBER = Buffer.from(`,"seniority":null`);

/**
 * The good lines of a chunk until their levels are known, then the chunk's output bytes. A line
 * is kept as a span of the block it was read from plus where the member goes, so the output is
 * copied from the input (no re-encoding of text) with `,"seniority":N` put in between. A line
 * whose existing "seniority" is replaced, or an empty object, is kept as text (rare). Also
 * collects the chunk's distinct pairs in first-seen order (a PairIndex: no key string).
 */
export class OutputChunk {
  /** Distinct pairs, first seen first: resolve these, then render with their levels. */
  readonly pairs: SeniorityPair[] = [];
  private readonly seen = new PairIndex<number>();
  private readonly pairOf: number[] = [];
  private readonly blocks: Buffer[] = [];
  private readonly starts: number[] = [];
  private readonly inserts: number[] = [];
  private readonly ends: number[] = [];
  /** Line index → text to splice, for the lines kept as text. */
  private readonly special = new Map<number, ParsedBlock["special"][number]>();

  get length(): number {
    return this.pairOf.length;
  }

  /** Adds the good lines `from` ≤ i < `to` of `parsed`, a parse of `bytes`. */
  add(parsed: ParsedBlock, bytes: Buffer, from: number, to: number): void {
    const { good } = parsed;
    // The block's pair index → this chunk's, found once per pair of the block.
    const pairs = new Int32Array(parsed.companies.length).fill(-1);
    let special = 0;
    while (special < parsed.special.length && parsed.special[special]!.good < from) special++;
    for (let i = from; i < to; i++) {
      const at = GOOD_FIELDS * i;
      const blockPair = good[at + 3]!;
      let pair = pairs[blockPair]!;
      if (pair === -1)
        pair = pairs[blockPair] = this.pairIndex(parsed.companies[blockPair]!, parsed.titles[blockPair]!);
      if (parsed.special[special]?.good === i)
        this.special.set(this.pairOf.length, parsed.special[special++]!);
      this.pairOf.push(pair);
      this.blocks.push(bytes);
      this.starts.push(good[at]!);
      this.inserts.push(good[at + 1]!);
      this.ends.push(good[at + 2]!);
    }
  }

  /**
   * Every line with its level (`levels[i]` is that of `pairs[i]`), "\n"-terminated; a null level
   * (a pair deferred by the rare-pair policy) is written as `"seniority":null`.
   */
  render(levels: readonly (number | null)[]): Buffer {
    const count = this.pairOf.length;
    const texts = new Map<number, Buffer>();
    let size = 0;
    for (let i = 0; i < count; i++) {
      const level = levels[this.pairOf[i]!]!;
      const line = this.special.get(i);
      if (line) {
        const text = Buffer.from(spliceSeniority(line.text, line.scan, level));
        texts.set(i, text);
        size += text.length + 1;
      } else {
        size += this.ends[i]! - this.starts[i]! + memberOf(level).length + 1;
      }
    }
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    // The previous line's tail [tailFrom, tailTo) of `tailBlock`, not yet copied, nor its "\n".
    let tailBlock: Buffer | undefined;
    let tailFrom = 0;
    let tailTo = 0;
    const endLine = (): void => {
      if (!tailBlock) return;
      at += tailBlock.copy(out, at, tailFrom, tailTo);
      out[at++] = LF;
      tailBlock = undefined;
    };
    for (let i = 0; i < count; i++) {
      const text = texts.get(i);
      if (text) {
        endLine();
        at += text.copy(out, at);
        out[at++] = LF;
        continue;
      }
      const block = this.blocks[i]!;
      const start = this.starts[i]!;
      const insert = this.inserts[i]!;
      if (tailBlock === block && start === tailTo + 1) {
        // Previous tail, its "\n" and this line's head are one run of the input: one copy.
        at += block.copy(out, at, tailFrom, insert);
      } else {
        endLine();
        at += block.copy(out, at, start, insert);
      }
      // ~14 bytes: a loop beats a native copy call.
      const member = memberOf(levels[this.pairOf[i]!]!);
      for (let k = 0; k < member.length; k++) out[at++] = member[k]!;
      tailBlock = block;
      tailFrom = insert;
      tailTo = this.ends[i]!;
    }
    endLine();
    return out;
  }

  private pairIndex(company: string, title: string): number {
    let index = this.seen.get(company, title);
    if (index === undefined) {
      index = this.pairs.push({ company, title }) - 1;
      this.seen.set(company, title, index);
    }
    return index;
  }

  /** Lines whose pair's level is null in `levels` (the lines a deferral leaves pending). */
  linesWithout(levels: readonly (number | null)[]): number {
    let count = 0;
    for (const pair of this.pairOf) if (levels[pair] === null) count++;
    return count;
  }
}

function memberOf(level: number | null): Buffer {
  if (level === null) return PENDING_MEMBER;
  return MEMBERS[level] ?? Buffer.from(`,"seniority":${level}`);
}
