import { readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 *
 * Yields the keys of every regular file under `root` in lexicographic order (JS string order),
 * strictly after `startAfter`, skipping dot-files and dot-directories (sidecars, temp files) and
 * symlinks. Directories are read one at a time and whole subtrees before `startAfter` are skipped,
 * so resuming a listing late in a large tree stays cheap.
 */
export async function* walkKeys(
  root: string,
  startAfter?: string,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  yield* walk(root, "", startAfter, signal);
}

async function* walk(
  dir: string,
  prefix: string,
  startAfter: string | undefined,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  signal?.throwIfAborted();
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return;
    throw error;
  }
  // A directory sorts as "name/" so its keys fall exactly where S3 would put them ("a.txt" < "a/x" < "a0").
  const items = entries
    .filter((entry) => !entry.name.startsWith(".") && (entry.isFile() || entry.isDirectory()))
    .map((entry) => ({
      name: entry.name,
      isDir: entry.isDirectory(),
      sortKey: prefix + entry.name + (entry.isDirectory() ? "/" : ""),
    }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  for (const item of items) {
    if (item.isDir) {
      // Every key below starts with sortKey: if that prefix sorts before startAfter and startAfter
      // is not inside it, the whole subtree is before startAfter.
      if (startAfter !== undefined && item.sortKey <= startAfter && !startAfter.startsWith(item.sortKey))
        continue;
      yield* walk(join(dir, item.name), item.sortKey, startAfter, signal);
    } else if (startAfter === undefined || item.sortKey > startAfter) {
      yield item.sortKey;
    }
  }
}
