import type { SeniorityResolver } from "@seniority/seniority-client";
import { parseLine, type ParsedLine } from "./parseLine.js";
import { resolveLevels, pairCacheKey, type LocalPairCache } from "./resolveLevels.js";
import { spliceSeniority } from "./spliceSeniority.js";
import { splitLines } from "./splitLines.js";

type GoodLine = Extract<ParsedLine, { ok: true }>;

export interface AugmentStats {
  linesIn: number;
  linesOut: number;
  linesBad: number;
  pairsRequested: number;
  localCacheHits: number;
}

export interface AugmentOptions {
  resolver: SeniorityResolver;
  cache: LocalPairCache | undefined;
  chunkLines: number;
  maxLineBytes: number;
  signal?: AbortSignal;
  /** Called after each chunk is written, with the lines it accounted for (good and bad). */
  onChunk?: (lines: { ok: number; bad: number }) => void;
}

/**
 * Pass 2 of a file: chunks of `chunkLines` good lines → distinct pairs → levels → each line's
 * original text with the level spliced in, "\n"-terminated (CRLF input becomes LF). Bad lines are
 * skipped (pass 1 reported them). Memory holds one chunk. `stats` is filled as it goes.
 */
export async function* augmentedChunks(
  source: AsyncIterable<Buffer>,
  options: AugmentOptions,
  stats: AugmentStats,
): AsyncGenerator<Buffer> {
  let chunk: GoodLine[] = [];
  let badInChunk = 0;
  const flush = async (): Promise<Buffer> => {
    const { levels, cacheHits, requested } = await resolveLevels(
      chunk.map((line) => line.pair),
      options.resolver,
      options.cache,
      options.signal,
    );
    stats.localCacheHits += cacheHits;
    stats.pairsRequested += requested;
    let text = "";
    for (const line of chunk)
      text += spliceSeniority(line.text, line.scan, levels.get(pairCacheKey(line.pair))!) + "\n";
    stats.linesOut += chunk.length;
    options.onChunk?.({ ok: chunk.length, bad: badInChunk });
    chunk = [];
    badInChunk = 0;
    return Buffer.from(text);
  };
  for await (const raw of splitLines(source, { maxLineBytes: options.maxLineBytes })) {
    stats.linesIn++;
    const parsed = parseLine(raw, options.maxLineBytes);
    if (!parsed.ok) {
      stats.linesBad++;
      badInChunk++;
      continue;
    }
    chunk.push(parsed);
    if (chunk.length >= options.chunkLines) yield await flush();
  }
  if (chunk.length > 0 || badInChunk > 0) {
    const last = await flush();
    if (last.length > 0) yield last;
  }
}
