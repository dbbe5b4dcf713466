import { Readable } from "node:stream";
import type { ObjectStore } from "@seniority/object-store";
import type { SeniorityResolver } from "@seniority/seniority-model";
import { augmentedChunks, type AugmentStats } from "./augmentedChunks.js";
import type { BlockParser } from "../parse/BlockParser.js";
import { countBytes } from "../jsonl/countBytes.js";
import type { LocalPairCache } from "./resolveLevels.js";
import { SpillBuffer } from "./SpillBuffer.js";

import { isOutputCurrent } from "./isOutputCurrent.js";
import { OutputMetadata } from "./OutputMetadata.js";
import type { RarePairPolicy } from "../rare/RarePairPolicy.js";

export { OutputMetadata } from "./OutputMetadata.js";

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
  /**
   * The cache namespace `resolver` answers from, written into the output's metadata; an output
   * from another namespace is not done (isOutputCurrent). Undefined: none is written or asked for.
   */
  namespace?: string;
  /** Exact pair → level, shared across files; undefined: none. */
  cache?: LocalPairCache;
  /** Good lines resolved and written together. Default 10_000. */
  chunkLines?: number;
  /** Default 1 MiB. */
  maxLineBytes?: number;
  /**
   * Bytes of the output (and, apart, of the errors object) held in memory while the file is read;
   * beyond them the rest goes to a temp file in `spillDir`. Default 8 MiB (DEFAULT_SPILL_BYTES).
   */
  spillBytes?: number;
  /** Default os.tmpdir() ($TMPDIR). */
  spillDir?: string;
  /** Where blocks of lines are parsed: a ParsePool (worker threads) or, by default, this thread. */
  parser?: BlockParser;
  /**
   * `--rare-pairs defer`: rare uncached pairs get `"seniority": null`, the file is queued (its
   * marker put before the output) and the output's metadata says `seniority-pending`.
   */
  rare?: RarePairPolicy;
  /**
   * The backfill (of this policy's queue): an output that is current but has pending lines
   * (`seniority-pending` > 0) is not done; it is rewritten with every level (metadata
   * `seniority-pending: 0`), and only then is the file's marker deleted. A crash between the two
   * leaves the marker: the next backfill finds the output final and only deletes the marker.
   */
  backfill?: RarePairPolicy;
  signal?: AbortSignal;
  /** Progress and metrics hooks. */
  onLines?: (lines: { ok: number; bad: number }) => void;
  onBytesRead?: (bytes: number) => void;
  onBytesWritten?: (bytes: number) => void;
}

export interface FileResult extends AugmentStats {
  key: string;
  /** With the rare-pair policy: lines written with `"seniority": null`, and the distinct pairs deferred. */
  pending?: { lines: number; pairs: number };
  /** "skipped": the output already existed for this source ETag; the counts are from its metadata. */
  outcome: "done" | "skipped";
  sourceEtag: string;
  seconds: number;
}

/**
 * Augments one file, exactly once in effect. A file is done when its output exists with metadata
 * `source-etag` equal to the input's ETag and `cache-namespace` equal to `namespace`
 * (isOutputCurrent); such a file is skipped. Otherwise the input is read
 * once: every line is classified, resolved and spliced as it is read, the output and the errors
 * object (JSONL of bad lines, possibly empty) are buffered (SpillBuffer: memory up to
 * `spillBytes`, then a temp file), and only then written — the errors object first, then the
 * output, whose metadata carries the counts and the ETag. The counts must be known when the
 * output's upload starts (S3 takes metadata with its first request), hence the buffering; it
 * replaced a second read of the input. Each put is atomic (nothing visible on failure or abort)
 * and both are deterministic, so a rerun after a crash at any point writes the same bytes. If the
 * input's ETag changed by the end of the read, the file fails (retried later) and nothing is put.
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
  const pendingBefore = Number(existing?.metadata[OutputMetadata.seniorityPending] ?? 0);
  if (
    existing &&
    isOutputCurrent(existing, sourceEtag, options.namespace) &&
    !(options.backfill && pendingBefore > 0)
  ) {
    await options.backfill?.dequeue(key, signal);
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

  const spill = {
    ...(options.spillBytes !== undefined ? { limitBytes: options.spillBytes } : {}),
    ...(options.spillDir !== undefined ? { dir: options.spillDir } : {}),
  };
  const augmented = new SpillBuffer(spill);
  const badLines = new SpillBuffer(spill);
  const deferral = options.rare?.begin(key);
  const written = (body: Readable): AsyncGenerator<Buffer> =>
    countBytes(body, options.onBytesWritten ?? (() => {}));
  try {
    const stats: AugmentStats = {
      linesIn: 0,
      linesOut: 0,
      linesBad: 0,
      pairsRequested: 0,
      localCacheHits: 0,
    };
    const chunks = augmentedChunks(
      countBytes(await input.get(key, signal), options.onBytesRead ?? (() => {})),
      {
        file: key,
        resolver: options.resolver,
        cache: options.cache,
        chunkLines,
        maxLineBytes,
        ...(options.parser ? { parser: options.parser } : {}),
        ...(deferral ? { deferral } : {}),
        ...(signal ? { signal } : {}),
      },
      stats,
    );
    for await (const chunk of chunks) {
      await augmented.append(chunk.output);
      await badLines.append(chunk.errors);
      options.onLines?.({ ok: chunk.ok, bad: chunk.bad });
    }
    // The bytes read must be the ones the ETag names (the output's metadata says so).
    const again = await input.head(key, signal);
    if (again?.etag !== sourceEtag)
      throw new Error(
        `input changed while being processed: ${key} (ETag ${sourceEtag} → ${again?.etag ?? "gone"})`,
      );
    // Queued before the output exists: an output with null lines is never without its marker.
    if (deferral && deferral.deferred.length > 0) await options.rare!.enqueue(key, deferral, signal);
    const pending = deferral ? { lines: deferral.pendingLines, pairs: deferral.deferred.length } : undefined;
    await errors.put(
      key,
      Readable.from(written(await badLines.readable()), { objectMode: false }),
      { [OutputMetadata.sourceEtag]: sourceEtag },
      signal,
    );
    await output.put(
      key,
      Readable.from(written(await augmented.readable()), { objectMode: false }),
      {
        [OutputMetadata.sourceEtag]: sourceEtag,
        ...(options.namespace !== undefined ? { [OutputMetadata.namespace]: options.namespace } : {}),
        [OutputMetadata.linesIn]: String(stats.linesIn),
        [OutputMetadata.linesOut]: String(stats.linesOut),
        [OutputMetadata.linesBad]: String(stats.linesBad),
        ...(pending || options.backfill
          ? { [OutputMetadata.seniorityPending]: String(pending?.lines ?? 0) }
          : {}),
      },
      signal,
    );
    await options.backfill?.dequeue(key, signal);
    return {
      key,
      outcome: "done",
      sourceEtag,
      ...stats,
      ...(pending ? { pending } : {}),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await Promise.all([augmented.close(), badLines.close()]);
  }
}
