import { Readable } from "node:stream";
import { ObjectNotFoundError, type ObjectStore } from "@seniority/object-store";
import type { SeniorityPair } from "@seniority/seniority-model";

/**
 * Where the queue lives under the output prefix, beside `_checkpoint.json` ("_" marks it as not
 * an output): one small object per file with deferred lines, `_rare-pending/<file name>.json`.
 */
export const PENDING_PREFIX = "_rare-pending/";
const SUFFIX = ".json";
const VERSION = 1;

/** A file whose output has `"seniority": null` lines, to be rewritten by the backfill. */
export interface PendingFile {
  /** The input (and output) key. */
  key: string;
  /** Its position in the rare-pair window (stream ms or file ordinal) when it was deferred. */
  position: number;
  /** Wall time (ms) of the deferral. */
  deferredAtMs: number;
  /** Lines of the output written with `"seniority": null`. */
  pendingLines: number;
  /** The distinct pairs it deferred, first seen first. */
  pairs: SeniorityPair[];
}

interface PendingJson {
  version: number;
  key: string;
  position: number;
  deferredAt: string;
  deferredAtMs: number;
  pendingLines: number;
  /** [company, title] each. */
  pairs: [string, string][];
}

/**
 * The rare-pair queue, persisted in the output store so it survives restarts (and is shared by
 * replicas): a marker per file is put (atomically, like every object) BEFORE the file's output,
 * so an output with null lines never exists without its marker; the backfill deletes the marker
 * only AFTER the rewritten output is in place. Losing the race either way costs a rewrite of the
 * same bytes, never a file left pending unknown.
 */
export class PendingQueue {
  constructor(private readonly output: ObjectStore) {}

  async put(file: PendingFile, signal?: AbortSignal): Promise<void> {
    const record: PendingJson = {
      version: VERSION,
      key: file.key,
      position: file.position,
      deferredAt: new Date(file.deferredAtMs).toISOString(),
      deferredAtMs: file.deferredAtMs,
      pendingLines: file.pendingLines,
      pairs: file.pairs.map((pair) => [pair.company, pair.title]),
    };
    const body = Readable.from([Buffer.from(JSON.stringify(record) + "\n")]);
    await this.output.put(markerKey(file.key), body, {}, signal);
  }

  /** The keys of the queued files, in name order (one listing of the prefix). */
  async *keys(signal?: AbortSignal): AsyncGenerator<string> {
    for await (const object of this.output.list({
      startAfter: PENDING_PREFIX,
      ...(signal ? { signal } : {}),
    })) {
      if (!object.key.startsWith(PENDING_PREFIX)) return; // past the prefix: the listing is in order
      if (object.key.endsWith(SUFFIX)) yield object.key.slice(PENDING_PREFIX.length, -SUFFIX.length);
    }
  }

  /**
   * The queued file, or undefined when it is not queued. A marker that cannot be read as one still
   * means "rewrite this file": it comes back with no pairs, deferred at position 0 (due at once).
   */
  async read(key: string, signal?: AbortSignal): Promise<PendingFile | undefined> {
    let text: string;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.output.get(markerKey(key), signal)) chunks.push(chunk as Buffer);
      text = Buffer.concat(chunks).toString("utf8");
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return undefined;
      throw error;
    }
    const unreadable: PendingFile = { key, position: 0, deferredAtMs: 0, pendingLines: 0, pairs: [] };
    let parsed: Partial<PendingJson>;
    try {
      parsed = JSON.parse(text) as Partial<PendingJson>;
    } catch {
      return unreadable;
    }
    if (parsed.version !== VERSION || !Array.isArray(parsed.pairs)) return unreadable;
    return {
      key,
      position: typeof parsed.position === "number" ? parsed.position : 0,
      deferredAtMs: typeof parsed.deferredAtMs === "number" ? parsed.deferredAtMs : 0,
      pendingLines: typeof parsed.pendingLines === "number" ? parsed.pendingLines : 0,
      pairs: parsed.pairs.flatMap((pair) =>
        Array.isArray(pair) && typeof pair[0] === "string" && typeof pair[1] === "string"
          ? [{ company: pair[0], title: pair[1] }]
          : [],
      ),
    };
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    await this.output.delete(markerKey(key), signal);
  }
}

function markerKey(key: string): string {
  return PENDING_PREFIX + key + SUFFIX;
}
