import type { Readable } from "node:stream";

/** Metadata is a flat string map (S3 user metadata: x-amz-meta-*; a sidecar file locally). */
export type ObjectMetadata = Record<string, string>;

export interface ObjectInfo {
  key: string;
  size: number;
  /** Changes whenever the content changes (S3 ETag; a content hash locally). */
  etag: string;
  metadata: ObjectMetadata;
}

export interface ListedObject {
  key: string;
  size: number;
  /**
   * As head() gives it, when the listing knows it without reading the object (always on S3);
   * absent for a local file never written through the store (head() hashes it).
   */
  etag?: string;
}

/**
 * One interface over S3 and a local directory. Keys are relative to the store's location
 * (`s3://bucket/prefix/` or a directory), always with "/" separators.
 */
export interface ObjectStore {
  /** Human-readable location, e.g. "s3://rl-data/job-postings-raw/" or "/data/raw". */
  readonly location: string;
  /** Keys in lexicographic order, strictly after `startAfter` when given; all pages are followed. */
  list(options?: { startAfter?: string; signal?: AbortSignal }): AsyncIterable<ListedObject>;
  /** undefined when the object does not exist. */
  head(key: string, signal?: AbortSignal): Promise<ObjectInfo | undefined>;
  get(key: string, signal?: AbortSignal): Promise<Readable>;
  /**
   * Writes the whole stream, then makes the object visible at once (S3 multipart completes last;
   * locally a temp file is renamed). On error or abort nothing is visible and nothing is left over.
   */
  put(key: string, body: Readable, metadata: ObjectMetadata, signal?: AbortSignal): Promise<void>;
  delete(key: string, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}
