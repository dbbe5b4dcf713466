import type { SeniorityResolver } from "@seniority/seniority-model";
import { badLineRecords, type BadLineRecord } from "./badLineRecords.js";
import { inlineParser, type BlockParser } from "../parse/BlockParser.js";
import { lineBlocks, type LineBlock } from "../jsonl/lineBlocks.js";
import { OutputChunk } from "./OutputChunk.js";
import type { ParsedBlock } from "../parse/parseBlock.js";
import { BadLineReason } from "../parse/parseLine.js";
import type { RareFileDeferral } from "../rare/RareFileDeferral.js";
import { resolveLevels, type LocalPairCache } from "./resolveLevels.js";
import { resolveOrDefer } from "../rare/resolveOrDefer.js";
import { utf8Excerpt } from "../jsonl/utf8Excerpt.js";

/** Blocks handed to the parser before the oldest one is taken in (keeps parse threads busy). */
const READ_AHEAD = 3;
/** Lines are parsed ~1 MiB at a time (a few messages a file to a parse thread, not one per read). */
const BLOCK_BYTES = 1_048_576;
/** Bad lines whose records are passed on at once, at most (a record is ≤ ~6 KiB). */
const BAD_LINES_AT_ONCE = 1024;
const EMPTY: Buffer = Buffer.alloc(0);

type Parsed =
  { kind: "lines"; parsed: ParsedBlock; bytes: Buffer } | Extract<LineBlock, { kind: "too-long" }>;

export interface AugmentStats {
  linesIn: number;
  linesOut: number;
  linesBad: number;
  pairsRequested: number;
  localCacheHits: number;
}

export interface AugmentOptions {
  /** The input's key: the `file` of each bad-line record. */
  file: string;
  resolver: SeniorityResolver;
  cache: LocalPairCache | undefined;
  /** Good lines resolved and written together. */
  chunkLines: number;
  maxLineBytes: number;
  /** Default inlineParser (this thread). */
  parser?: BlockParser;
  /** Lines are gathered into blocks of about this many bytes for the parser. Default 1 MiB. */
  blockBytes?: number;
  /**
   * The rare-pair policy's deferral for this file (`--rare-pairs defer`): pairs it defers get
   * `"seniority": null`, counted in its `pendingLines`. Undefined: every pair is resolved.
   */
  deferral?: RareFileDeferral;
  signal?: AbortSignal;
}

/** What a chunk of input turned into. */
export interface AugmentedChunk {
  /** The good lines, each with its level spliced in and "\n"-terminated. */
  output: Buffer;
  /** The bad lines' records (errors object JSONL), in line order. */
  errors: Buffer;
  /** Lines accounted for: written (ok) and reported (bad). */
  ok: number;
  bad: number;
}

/**
 * A file in one pass: blocks of lines → parsed (by `parser`, maybe in other threads, up to
 * READ_AHEAD blocks ahead) → chunks of `chunkLines` good lines → distinct pairs → levels → each
 * good line's original bytes with the level spliced in, "\n"-terminated (CRLF input becomes LF);
 * each bad line becomes a record with its number and reason. Memory holds one chunk (its lines
 * as spans of the reads they came in) and the blocks read ahead. `stats` is filled as it goes.
 */
export async function* augmentedChunks(
  source: AsyncIterable<Buffer>,
  options: AugmentOptions,
  stats: AugmentStats,
): AsyncGenerator<AugmentedChunk> {
  const { maxLineBytes, chunkLines, signal } = options;
  const parser = options.parser ?? inlineParser;
  let chunk = new OutputChunk();
  let errors = "";
  let bad = 0;
  const takeErrors = (): { errors: Buffer; bad: number } => {
    const taken = { errors: errors === "" ? EMPTY : Buffer.from(errors), bad };
    stats.linesBad += bad;
    errors = "";
    bad = 0;
    return taken;
  };
  const { deferral } = options;
  const resolve = async (lines: OutputChunk): Promise<AugmentedChunk> => {
    const { levels, cacheHits, requested } = deferral
      ? await resolveOrDefer(lines.pairs, options.resolver, options.cache, deferral, signal)
      : await resolveLevels(lines.pairs, options.resolver, options.cache, signal);
    if (deferral) deferral.pendingLines += lines.linesWithout(levels);
    stats.localCacheHits += cacheHits;
    stats.pairsRequested += requested;
    stats.linesOut += lines.length;
    return { output: lines.render(levels), ...takeErrors(), ok: lines.length };
  };
  const reportBad = (records: string, count: number): void => {
    errors += records;
    bad += count;
  };
  /** Takes in one block's good lines; returns the chunks they filled. */
  const takeGood = (parsed: ParsedBlock, bytes: Buffer): OutputChunk[] => {
    const full: OutputChunk[] = [];
    for (let from = 0; from < parsed.goodCount;) {
      const to = Math.min(parsed.goodCount, from + chunkLines - chunk.length);
      chunk.add(parsed, bytes, from, to);
      from = to;
      if (chunk.length >= chunkLines) {
        full.push(chunk);
        chunk = new OutputChunk();
      }
    }
    return full;
  };
  /** Bad lines do not wait for good ones, and go on in bounded pieces (a file of garbage too). */
  const flushBad = function* (): Generator<AugmentedChunk> {
    if (bad >= BAD_LINES_AT_ONCE) yield { output: EMPTY, ...takeErrors(), ok: 0 };
  };

  const ahead: Promise<Parsed>[] = [];
  const next = async function* (): AsyncGenerator<AugmentedChunk> {
    const item = await ahead.shift()!;
    const first = stats.linesIn + 1;
    if (item.kind === "too-long") {
      stats.linesIn++;
      const raw = utf8Excerpt(item.head);
      const record: BadLineRecord = {
        file: options.file,
        line: first,
        reason: BadLineReason.tooLong(item.length, maxLineBytes),
        raw,
      };
      reportBad(JSON.stringify(record) + "\n", 1);
      yield* flushBad();
      return;
    }
    const { parsed, bytes } = item;
    stats.linesIn += parsed.lines;
    for (const lines of takeGood(parsed, bytes)) yield await resolve(lines);
    for (let from = 0; from < parsed.bad.count; from += BAD_LINES_AT_ONCE) {
      const to = Math.min(parsed.bad.count, from + BAD_LINES_AT_ONCE);
      reportBad(badLineRecords(options.file, first, parsed.bad, bytes, from, to), to - from);
      yield* flushBad();
    }
  };
  for await (const block of lineBlocks(source, {
    maxLineBytes,
    minBlockBytes: options.blockBytes ?? BLOCK_BYTES,
  })) {
    signal?.throwIfAborted();
    const item: Promise<Parsed> =
      block.kind === "lines"
        ? parser
            .parse(block.bytes, maxLineBytes)
            .then((parsed) => ({ kind: "lines", parsed, bytes: block.bytes }))
        : Promise.resolve(block);
    item.catch(() => {}); // awaited in turn below; a failure must not count as unhandled before then
    ahead.push(item);
    if (ahead.length >= READ_AHEAD) yield* next();
  }
  while (ahead.length > 0) yield* next();
  if (chunk.length > 0 || bad > 0) yield await resolve(chunk);
}
