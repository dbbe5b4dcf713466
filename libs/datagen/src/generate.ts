import { openObjectStore, type ObjectStore, type S3Options } from "@seniority/object-store";
import { Readable } from "node:stream";
import { generatePostings, type GeneratedLine, type PostingStreamOptions } from "./generatePostings.js";
import { PostingTally, type PostingCounts } from "./PostingTally.js";

/** Bytes gathered before a chunk is handed to the store (one file is never held whole). */
const CHUNK_BYTES = 64 * 1024;

export interface GenerateOptions extends PostingStreamOptions {
  /** A location (`s3://bucket/prefix/`, a directory) or an open store (left open). */
  output: string | ObjectStore;
  s3?: S3Options;
  signal?: AbortSignal;
  /** Called after each file is written. */
  onFile?: (key: string, lines: number) => void;
}

export interface GenerateSummary extends PostingCounts {
  location: string;
  firstKey?: string;
  lastKey?: string;
}

/** Writes the stream's files to the output, one at a time, and returns what was written. */
export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  const store =
    typeof options.output === "string"
      ? openObjectStore(options.output, options.s3 ? { s3: options.s3 } : {})
      : options.output;
  const tally = new PostingTally();
  let firstKey: string | undefined;
  let lastKey: string | undefined;
  try {
    for (const file of generatePostings(options)) {
      options.signal?.throwIfAborted();
      await store.put(file.key, Readable.from(chunked(file.lines(), tally)), {}, options.signal);
      tally.addFile();
      firstKey ??= file.key;
      lastKey = file.key;
      options.onFile?.(file.key, file.lineCount);
    }
  } finally {
    if (typeof options.output === "string") await store.close();
  }
  return {
    location: store.location,
    ...tally.counts(),
    ...(firstKey ? { firstKey } : {}),
    ...(lastKey ? { lastKey } : {}),
  };
}

/** The file's bytes in ~64 KiB chunks, each line followed by "\n", counted as they pass. */
export function* chunked(lines: Iterable<GeneratedLine>, tally?: PostingTally): Generator<Buffer> {
  let parts: (string | Buffer)[] = [];
  let pending = 0;
  let text = "";
  for (const line of lines) {
    tally?.add(line);
    if (typeof line.text === "string") {
      text += line.text + "\n";
      pending += line.text.length + 1;
    } else {
      parts.push(text, line.text, "\n");
      text = "";
      pending += line.text.length + 1;
    }
    if (pending >= CHUNK_BYTES) {
      parts.push(text);
      const chunk = Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
      tally?.addBytes(chunk.length);
      yield chunk;
      parts = [];
      text = "";
      pending = 0;
    }
  }
  parts.push(text);
  const rest = Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
  tally?.addBytes(rest.length);
  if (rest.length > 0) yield rest;
}
