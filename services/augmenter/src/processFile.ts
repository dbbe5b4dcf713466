import { Readable } from "node:stream";
import type { ObjectStore } from "@seniority/object-store";
import type { SeniorityResolver } from "@seniority/seniority-client";
import { augmentedChunks, type AugmentStats } from "./augmentedChunks.js";
import { badLineRecords, type LineCounts } from "./badLineRecords.js";
import { countBytes } from "./countBytes.js";
import type { LocalPairCache } from "./resolveLevels.js";

/** Names of the output object's metadata (S3 user metadata, x-amz-meta-*). */
export const OutputMetadata = {
  sourceEtag: "source-etag",
  linesIn: "lines-in",
  linesOut: "lines-out",
  linesBad: "lines-bad",
} as const;

export const DEFAULT_CHUNK_LINES = 10_000;
/** 1 MiB: a posting is ~200 bytes; a longer line is reported as bad, never buffered whole. */
export const DEFAULT_MAX_LINE_BYTES = 1_048_576;

export interface ProcessFileOptions {
  input: ObjectStore;
  /** Key of the file in `input`; the output and errors objects get the same key. */
  key: string;
  output: ObjectStore;
  errors: ObjectStore;
  resolver: SeniorityResolver;
  /** Exact pair → level, shared across files; undefined: none. */
  cache?: LocalPairCache;
  /** Good lines resolved and written together. Default 10_000. */
  chunkLines?: number;
  /** Default 1 MiB. */
  maxLineBytes?: number;
  signal?: AbortSignal;
  /** Progress and metrics hooks. */
  onLines?: (lines: { ok: number; bad: number }) => void;
  onBytesRead?: (bytes: number) => void;
  onBytesWritten?: (bytes: number) => void;
}

export interface FileResult extends AugmentStats {
  key: string;
  /** "skipped": the output already existed for this source ETag; the counts are from its metadata. */
  outcome: "done" | "skipped";
  sourceEtag: string;
  seconds: number;
}

/**
 * Augments one file, exactly once in effect. A file is done when its output exists with metadata
 * `source-etag` equal to the input's ETag; such a file is skipped. Otherwise:
 *   pass 1 reads the input and writes the errors object (JSONL of bad lines, possibly empty);
 *   pass 2 reads it again and writes the output, whose metadata carries the counts and the ETag.
 * Each put is atomic (nothing visible on failure or abort), the errors object always lands before
 * the output, and both are deterministic, so a rerun after a crash at any point writes the same
 * bytes. Two passes because the counts must be known when the output upload starts (metadata goes
 * with its first request); reading a file twice is cheap next to resolving it. If the input
 * changes between the passes, the counts or the ETag differ and the file fails (retried later).
 */
export async function processFile(options: ProcessFileOptions): Promise<FileResult> {
  const started = performance.now();
  const { input, output, errors, key, signal } = options;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const chunkLines = options.chunkLines ?? DEFAULT_CHUNK_LINES;
  const source = await input.head(key, signal);
  if (!source) throw new Error(`input not found: ${key} in ${input.location}`);
  const sourceEtag = source.etag;

  const existing = await output.head(key, signal);
  if (existing && existing.metadata[OutputMetadata.sourceEtag] === sourceEtag) {
    return {
      key,
      outcome: "skipped",
      sourceEtag,
      linesIn: Number(existing.metadata[OutputMetadata.linesIn] ?? 0),
      linesOut: Number(existing.metadata[OutputMetadata.linesOut] ?? 0),
      linesBad: Number(existing.metadata[OutputMetadata.linesBad] ?? 0),
      pairsRequested: 0,
      localCacheHits: 0,
      seconds: (performance.now() - started) / 1000,
    };
  }

  const onBytesRead = options.onBytesRead ?? (() => {});
  const written = <T extends Buffer>(source: AsyncIterable<T>): AsyncGenerator<Buffer> =>
    countBytes(source, options.onBytesWritten ?? (() => {}));

  // Pass 1: the errors object.
  const counts: LineCounts = { linesIn: 0, linesBad: 0 };
  const records = badLineRecords(
    countBytes(await input.get(key, signal), onBytesRead),
    key,
    maxLineBytes,
    counts,
  );
  await errors.put(
    key,
    Readable.from(written(records), { objectMode: false }),
    { [OutputMetadata.sourceEtag]: sourceEtag },
    signal,
  );

  // Pass 2: the output, its metadata known up front from pass 1.
  const stats: AugmentStats = { linesIn: 0, linesOut: 0, linesBad: 0, pairsRequested: 0, localCacheHits: 0 };
  const linesOut = counts.linesIn - counts.linesBad;
  const augmented = augmentedChunks(
    countBytes(await input.get(key, signal), onBytesRead),
    {
      resolver: options.resolver,
      cache: options.cache,
      chunkLines,
      maxLineBytes,
      ...(signal ? { signal } : {}),
      ...(options.onLines ? { onChunk: options.onLines } : {}),
    },
    stats,
  );
  const checked = async function* (): AsyncGenerator<Buffer> {
    yield* written(augmented);
    // Before the stream ends (so before the upload can complete): the input must not have changed.
    if (stats.linesIn !== counts.linesIn || stats.linesBad !== counts.linesBad) {
      throw new Error(
        `input changed while being processed: ${key} (${counts.linesIn}/${counts.linesBad} then ${stats.linesIn}/${stats.linesBad} lines/bad)`,
      );
    }
    const again = await input.head(key, signal);
    if (again?.etag !== sourceEtag)
      throw new Error(
        `input changed while being processed: ${key} (ETag ${sourceEtag} → ${again?.etag ?? "gone"})`,
      );
  };
  await output.put(
    key,
    Readable.from(checked(), { objectMode: false }),
    {
      [OutputMetadata.sourceEtag]: sourceEtag,
      [OutputMetadata.linesIn]: String(counts.linesIn),
      [OutputMetadata.linesOut]: String(linesOut),
      [OutputMetadata.linesBad]: String(counts.linesBad),
    },
    signal,
  );
  return { key, outcome: "done", sourceEtag, ...stats, seconds: (performance.now() - started) / 1000 };
}
