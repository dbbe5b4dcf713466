import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, type BigIntStats } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { addAbortSignal, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { LRUCache } from "lru-cache";
import { abortError } from "./abortError.js";
import { checkKey } from "./checkKey.js";
import { checkMetadata } from "./checkMetadata.js";
import { readSidecar, sidecarPath, TEMP_DIR, tempPath, writeSidecar } from "./LocalSidecar.js";
import { ObjectNotFoundError } from "./ObjectNotFoundError.js";
import type { ListedObject, ObjectInfo, ObjectMetadata, ObjectStore } from "./ObjectStore.js";
import { walkKeys } from "./walkKeys.js";

/** Entries in the etag cache (path → md5 of the bytes at a given size and mtime). */
const ETAG_CACHE_ENTRIES = 10_000;

/**
 * An object store over a local directory. Keys map to files below it ("a/b.jsonl" → dir/a/b.jsonl).
 * - etag: md5 hex of the bytes, taken from the sidecar when it matches the file's size and mtime,
 *   otherwise computed by streaming the file (cached by path, size and mtime). list() never reads
 *   a file's bytes: it gives the etag only when it is known without (sidecar or cache).
 * - metadata: the hidden sidecar `.<name>.meta.json` (none when empty); it names the etag it describes, so metadata is
 *   only reported for the bytes it was written with (a crash between the two renames of a put
 *   leaves the old bytes with empty metadata, never the old bytes with new metadata).
 * - put: temp file in the directory's hidden `.seniority-tmp/` folder, fsync, sidecar, rename,
 *   fsync of the directory. Temp files of a crashed earlier put of the same key are removed first
 *   (one writer per key), found by reading that folder only (it holds the writes in progress and
 *   leftovers of crashes): a put costs the same however many files the directory holds.
 * Dot-files and symlinks are not objects: list() skips them, checkKey() rejects such keys.
 */
export class LocalDirObjectStore implements ObjectStore {
  readonly location: string;
  private readonly root: string;
  private readonly etags = new LRUCache<string, { stamp: string; etag: string }>({ max: ETAG_CACHE_ENTRIES });

  constructor(dir: string) {
    this.root = resolve(dir);
    this.location = this.root;
  }

  async *list(options: { startAfter?: string; signal?: AbortSignal } = {}): AsyncIterable<ListedObject> {
    for await (const key of walkKeys(this.root, options.startAfter, options.signal)) {
      const info = await this.describe(key, { hash: false });
      if (info) yield { key, size: info.size, ...(info.etag !== undefined ? { etag: info.etag } : {}) };
    }
  }

  async head(key: string, signal?: AbortSignal): Promise<ObjectInfo | undefined> {
    checkKey(key);
    signal?.throwIfAborted();
    return this.describe(key, { hash: true });
  }

  async get(key: string, signal?: AbortSignal): Promise<Readable> {
    checkKey(key);
    signal?.throwIfAborted();
    let handle;
    try {
      handle = await open(this.pathOf(key), "r");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR")
        throw new ObjectNotFoundError(this.location, key);
      throw error;
    }
    const stream = handle.createReadStream();
    return signal ? addAbortSignal(signal, stream) : stream;
  }

  async put(key: string, body: Readable, metadata: ObjectMetadata, signal?: AbortSignal): Promise<void> {
    checkKey(key);
    checkMetadata(metadata);
    signal?.throwIfAborted();
    const path = this.pathOf(key);
    await mkdir(join(dirname(path), TEMP_DIR), { recursive: true });
    await removeStaleTemps(path);
    const temp = tempPath(path);
    const hash = createHash("md5");
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer | string>) {
          for await (const chunk of source) {
            const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
            hash.update(bytes);
            yield bytes;
          }
        },
        createWriteStream(temp, { flags: "wx", flush: true }),
        ...(signal ? [{ signal }] : []),
      );
      if (signal?.aborted) throw abortError(signal);
      const written = await stat(temp, { bigint: true });
      const etag = hash.digest("hex");
      // No metadata, no sidecar (generated input directories stay plain); an old one must go.
      if (Object.keys(metadata).length > 0)
        await writeSidecar(path, { etag, ...stamp(written), metadata: { ...metadata } });
      else await rm(sidecarPath(path), { force: true });
      // From here on the put completes: stopping between the two renames would leave the sidecar
      // describing bytes that are not there (harmless, see the class comment, but pointless).
      await rename(temp, path);
      this.etags.set(path, { stamp: stampKey(written), etag });
      await syncDir(dirname(path));
    } catch (error) {
      await rm(temp, { force: true });
      throw signal?.aborted ? abortError(signal) : error;
    }
  }

  async delete(key: string, signal?: AbortSignal): Promise<void> {
    checkKey(key);
    signal?.throwIfAborted();
    const path = this.pathOf(key);
    await rm(path, { force: true });
    await rm(sidecarPath(path), { force: true });
    this.etags.delete(path);
  }

  async close(): Promise<void> {
    this.etags.clear();
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split("/"));
  }

  /** With `hash: false` the etag is undefined when only reading the bytes could give it. */
  private async describe(key: string, options: { hash: true }): Promise<ObjectInfo | undefined>;
  private async describe(
    key: string,
    options: { hash: false },
  ): Promise<(Omit<ObjectInfo, "etag"> & { etag: string | undefined }) | undefined>;
  private async describe(
    key: string,
    options: { hash: boolean },
  ): Promise<(Omit<ObjectInfo, "etag"> & { etag: string | undefined }) | undefined> {
    const path = this.pathOf(key);
    let stats: BigIntStats;
    try {
      stats = await stat(path, { bigint: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      throw error;
    }
    if (!stats.isFile()) return undefined;
    const sidecar = await readSidecar(path);
    const current = stamp(stats);
    let etag: string | undefined;
    if (sidecar && sidecar.size === current.size && sidecar.mtimeNs === current.mtimeNs) {
      etag = sidecar.etag;
    } else if (options.hash) {
      etag = await this.hashFile(path, stats);
    } else {
      const cached = this.etags.get(path);
      etag = cached?.stamp === stampKey(stats) ? cached.etag : undefined;
    }
    const metadata = sidecar && etag !== undefined && sidecar.etag === etag ? { ...sidecar.metadata } : {};
    return { key, size: Number(stats.size), etag, metadata };
  }

  private async hashFile(path: string, stats: BigIntStats): Promise<string> {
    const key = stampKey(stats);
    const cached = this.etags.get(path);
    if (cached?.stamp === key) return cached.etag;
    const hash = createHash("md5");
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    const etag = hash.digest("hex");
    this.etags.set(path, { stamp: key, etag });
    return etag;
  }
}

function stamp(stats: BigIntStats): { size: string; mtimeNs: string } {
  return { size: stats.size.toString(), mtimeNs: stats.mtimeNs.toString() };
}

function stampKey(stats: BigIntStats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeNs}`;
}

/** Temp files `.<name>.<uuid>.tmp` (data and sidecar) left in TEMP_DIR by a put of `path` that crashed. */
async function removeStaleTemps(path: string): Promise<void> {
  const name = basename(path);
  const dir = join(dirname(path), TEMP_DIR);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^\\.\\.?${escaped}(\\.meta\\.json)?\\.[0-9a-f-]{36}\\.tmp$`);
  const stale = (await readdir(dir)).filter((entry) => pattern.test(entry));
  await Promise.all(stale.map((entry) => rm(join(dir, entry), { force: true })));
}

/** Makes the rename durable: without it a power cut can forget the new directory entry. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
