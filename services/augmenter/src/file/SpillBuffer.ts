import { createReadStream } from "node:fs";
import { mkdtemp, open, rm, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { SPILL_PREFIX } from "./removeStaleSpills.js";

/**
 * 8 MiB: ~7 times an average input file (~1.1 MB), so a usual file never touches the disk, while
 * DEFAULT_CONCURRENCY files in flight hold at most ~64 MiB of output.
 */
export const DEFAULT_SPILL_BYTES = 8 * 1_048_576;

/** Bytes a read of a spilled buffer asks for at once (1 MiB). */
const READ_BYTES = 1_048_576;

export interface SpillBufferOptions {
  /** Bytes held in memory; beyond them everything goes to a temp file. Default DEFAULT_SPILL_BYTES. */
  limitBytes?: number;
  /** Where the temp file goes (in a fresh subdirectory). Default os.tmpdir() ($TMPDIR). */
  dir?: string;
}

/**
 * An append-only byte buffer that lives in memory up to `limitBytes`, then moves to a temp file:
 * a file's output is complete (and its line counts known, for the output's metadata) before its
 * upload starts, with memory bounded whatever the file's size. Append everything, read it once
 * with readable(), then close() (idempotent; removes the temp file, also after a failure).
 */
export class SpillBuffer {
  private parts: Buffer[] = [];
  private bytes = 0;
  private file: { dir: string; path: string; handle: FileHandle | undefined } | undefined;
  private closed: Promise<void> | undefined;
  private readonly limitBytes: number;

  constructor(private readonly options: SpillBufferOptions = {}) {
    this.limitBytes = options.limitBytes ?? DEFAULT_SPILL_BYTES;
  }

  /** Bytes appended so far. */
  get size(): number {
    return this.bytes;
  }

  /** True once the bytes went to a temp file. */
  get spilled(): boolean {
    return this.file !== undefined;
  }

  async append(bytes: Buffer): Promise<void> {
    if (this.closed) throw new Error("SpillBuffer is closed");
    if (bytes.length === 0) return;
    this.bytes += bytes.length;
    if (!this.file && this.bytes <= this.limitBytes) {
      this.parts.push(bytes);
      return;
    }
    if (!this.file) {
      // The pid in the name lets a later run tell a dead process's spill from a live one's
      // (removeStaleSpills).
      const dir = await mkdtemp(join(this.options.dir ?? tmpdir(), `${SPILL_PREFIX}${process.pid}-`));
      const path = join(dir, "buffer");
      this.file = { dir, path, handle: undefined };
      this.file.handle = await open(path, "wx");
      const parts = this.parts;
      this.parts = [];
      for (const part of parts) await writeAll(this.file.handle, part);
    }
    await writeAll(this.file.handle!, bytes);
  }

  /** Every byte appended, in order (call once, after the last append). */
  async readable(): Promise<Readable> {
    if (this.closed) throw new Error("SpillBuffer is closed");
    if (!this.file) return Readable.from(this.parts, { objectMode: false });
    await this.file.handle?.close();
    this.file.handle = undefined;
    return createReadStream(this.file.path, { highWaterMark: READ_BYTES });
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      this.parts = [];
      const file = this.file;
      if (!file) return;
      try {
        await file.handle?.close();
      } finally {
        await rm(file.dir, { recursive: true, force: true });
      }
    })();
    return this.closed;
  }
}

/** FileHandle.write may write less than asked: loops until every byte is written. */
async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let at = 0; at < bytes.length;) {
    const { bytesWritten } = await handle.write(bytes, at, bytes.length - at);
    at += bytesWritten;
  }
}
