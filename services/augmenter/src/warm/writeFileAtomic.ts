import { rename, writeFile } from "node:fs/promises";

/** Writes `path` whole or not at all: a temp file beside it, renamed over it (atomic on POSIX). */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, data);
  await rename(temp, path);
}
