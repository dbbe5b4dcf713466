import { randomUUID } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { ObjectMetadata } from "./ObjectStore.js";

/**
 * What the local store records beside an object, in the hidden file `.<name>.meta.json`: the
 * object's metadata and its etag, bound to the data file's size and mtime (ns) at write time so a
 * reader can tell whether the sidecar still describes the bytes next to it.
 */
export interface SidecarRecord {
  etag: string;
  size: string;
  mtimeNs: string;
  metadata: ObjectMetadata;
}

export function sidecarPath(objectPath: string): string {
  return join(dirname(objectPath), `.${basename(objectPath)}.meta.json`);
}

/**
 * The hidden folder beside the objects of a directory where writes in progress live: a
 * put looks only there for the leftovers of a crashed put, so its cost does not grow with the
 * objects of the directory (a rename from it to the directory is atomic: same filesystem).
 */
export const TEMP_DIR = ".seniority-tmp";

/** The temp-file path for a write of `objectPath` (in TEMP_DIR); `.tmp` marks it stale after a crash. */
export function tempPath(objectPath: string): string {
  return join(dirname(objectPath), TEMP_DIR, `.${basename(objectPath)}.${randomUUID()}.tmp`);
}

/** Undefined when missing or unreadable (a torn or foreign file is ignored, not trusted). */
export async function readSidecar(objectPath: string): Promise<SidecarRecord | undefined> {
  let text: string;
  try {
    text = await readFile(sidecarPath(objectPath), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<SidecarRecord>;
    const { etag, size, mtimeNs, metadata } = parsed;
    if (typeof etag !== "string" || typeof size !== "string" || typeof mtimeNs !== "string") return undefined;
    if (typeof metadata !== "object" || metadata === null) return undefined;
    return { etag, size, mtimeNs, metadata };
  } catch {
    return undefined;
  }
}

/** Written atomically (temp + rename) so a reader never sees half a sidecar. */
export async function writeSidecar(objectPath: string, record: SidecarRecord): Promise<void> {
  const target = sidecarPath(objectPath);
  const temp = tempPath(target);
  try {
    await writeFile(temp, JSON.stringify(record), { flag: "wx", flush: true });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
