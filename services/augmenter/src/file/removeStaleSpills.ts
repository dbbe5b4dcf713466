import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@seniority/telemetry";

/** Every spill directory's name starts so (SpillBuffer); the pid of its process follows. */
export const SPILL_PREFIX = "augmenter-spill-";

// `augmenter-spill-<pid>-<random>`; older versions wrote `augmenter-spill-<random>` (no pid).
const WITH_PID = /^augmenter-spill-(\d+)-[A-Za-z0-9]{6}$/;
const LEGACY = /^augmenter-spill-[A-Za-z0-9]{6}$/;

/** A legacy (pid-less) spill untouched this long is taken as left by a dead process. */
export const LEGACY_SPILL_MAX_AGE_MS = 6 * 3_600_000;

export interface RemoveStaleSpillsOptions {
  logger?: Logger;
  /** Whether a process is alive. Default: `process.kill(pid, 0)` (EPERM counts as alive). */
  isAlive?: (pid: number) => boolean;
  /** Wall-clock ms, for the age of legacy spills. Default Date.now. */
  now?: () => number;
}

/**
 * Removes the spill directories (SpillBuffer's temp files) that a killed augmenter left in `dir`,
 * and resolves to how many it removed. Call it once when the process starts, before it spills
 * anything: a spill named with this process's own pid is then a predecessor's (a restarted
 * container runs as the same pid), never ours.
 *
 * Only this tool's own entries, by name: `augmenter-spill-<pid>-<6 chars>` whose pid is not a live
 * process, or is ours. Another live augmenter sharing the directory keeps its files (a pid, unlike
 * an age threshold, never removes the spill of a slow but live run). A pid reused by an unrelated
 * live process keeps a stale spill until that process ends — the safe side. Legacy names without a
 * pid are removed once untouched for LEGACY_SPILL_MAX_AGE_MS. Best effort: an entry that cannot be
 * read or removed is logged and left; a missing `dir` removes nothing.
 */
export async function removeStaleSpills(
  dir: string,
  options: RemoveStaleSpillsOptions = {},
): Promise<number> {
  const isAlive = options.isAlive ?? processAlive;
  const now = options.now ?? Date.now;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      options.logger?.warn({ err: error, dir }, "spill dir unreadable: stale spills not removed");
    }
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(SPILL_PREFIX)) continue;
    const path = join(dir, name);
    try {
      if (!(await isStale(path, name, isAlive, now))) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
      options.logger?.info({ path }, "removed a spill left by a stopped augmenter");
    } catch (error) {
      options.logger?.warn({ err: error, path }, "could not remove a stale spill");
    }
  }
  return removed;
}

async function isStale(
  path: string,
  name: string,
  isAlive: (pid: number) => boolean,
  now: () => number,
): Promise<boolean> {
  const withPid = WITH_PID.exec(name);
  if (withPid) {
    const pid = Number(withPid[1]);
    return pid === process.pid || !isAlive(pid);
  }
  if (!LEGACY.test(name)) return false;
  // The buffer file inside is written as the spill grows; the directory's own mtime is not.
  const times = await Promise.all([stat(path), stat(join(path, "buffer")).catch(() => undefined)]);
  const touched = Math.max(...times.map((s) => s?.mtimeMs ?? 0));
  return now() - touched > LEGACY_SPILL_MAX_AGE_MS;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
