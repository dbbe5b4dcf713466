import { rm, rmdir } from "node:fs/promises";
import { join } from "node:path";

/** The files lmdb-js keeps in a store directory. */
const LMDB_FILES = ["data.mdb", "lock.mdb"];

/**
 * Forgets every cached answer of an embedded store: for "lmdb:<path>" deletes the LMDB files, then
 * the directory if nothing else is in it (files of other tools are never touched). "memory" holds
 * nothing between runs.
 */
export async function removeStoreFiles(spec: string): Promise<void> {
  if (!spec.startsWith("lmdb:")) return;
  const path = spec.slice("lmdb:".length);
  await Promise.all(LMDB_FILES.map((name) => rm(join(path, name), { force: true })));
  await rmdir(path).catch(() => undefined);
}
