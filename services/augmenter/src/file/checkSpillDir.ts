import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";

/**
 * `--spill-dir` must be a writable directory: checked at start, so a read-only root filesystem
 * (EROFS) or a missing volume is one clear line, not a failure of every file over --spill-bytes.
 */
export async function checkSpillDir(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`--spill-dir ${dir} is not a directory`);
  await access(dir, constants.W_OK).catch(() => {
    throw new Error(`--spill-dir ${dir} is not writable`);
  });
}
