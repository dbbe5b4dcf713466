import { stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import {
  LocalDirObjectStore,
  openObjectStore,
  type ObjectStore,
  type S3Options,
} from "@seniority/object-store";
import { MissingInputError } from "../cli/checkInputLocation.js";
import { splitFileUri } from "../cli/locations.js";
import { postingFormat } from "./readPostingPairs.js";

/** Where warm reads history: an object store and the keys in it to read, in order. */
export interface WarmInput {
  store: ObjectStore;
  /** One file's key, or undefined: every key of the store (a directory or an S3 prefix). */
  only?: string;
}

/**
 * `<location>` of `seniority warm`: a local file (JSONL or CSV) or directory, `file://…`, an
 * `s3://bucket/prefix/` or one `s3://bucket/key.jsonl|csv` object. A local path that does not
 * exist is a MissingInputError (a usage error); S3 is asked only when read.
 */
export async function openWarmInput(location: string, s3: S3Options = {}): Promise<WarmInput> {
  const trimmed = location.trim();
  if (/^s3:\/\//i.test(trimmed)) {
    if (!trimmed.endsWith("/") && postingFormat(trimmed) !== undefined) {
      const { location: folder, key } = splitFileUri(trimmed);
      return { store: openObjectStore(folder, { s3 }), only: key };
    }
    return { store: openObjectStore(trimmed, { s3 }) };
  }
  const path = /^file:\/\//i.test(trimmed) ? new URL(trimmed).pathname : trimmed;
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return { store: new LocalDirObjectStore(path) };
  if (info?.isFile()) return { store: new LocalDirObjectStore(dirname(path)), only: basename(path) };
  throw new MissingInputError(`no such file or directory: ${path}`);
}

/** The keys of `input` warm reads, in order (files of other kinds are left out). */
export async function* warmKeys(input: WarmInput, signal?: AbortSignal): AsyncGenerator<string> {
  if (input.only !== undefined) {
    yield input.only;
    return;
  }
  for await (const object of input.store.list(signal ? { signal } : {})) {
    if (postingFormat(object.key) !== undefined) yield object.key;
  }
}
