import { durationMs } from "@seniority/cli-options";
import { InvalidArgumentError } from "commander";
import type { RareWindow } from "../rare/RareWindow.js";

/** "1h", "30m", "90s" (a duration) or "60files" / "60 files" → a RareWindow (commander parser). */
export function rareWindowFlag(value: string): RareWindow {
  const files = /^(\d+)\s*files?$/.exec(value.trim());
  if (files) {
    const count = Number(files[1]);
    if (count < 1) throw new InvalidArgumentError(`expected at least 1 file, got "${value}".`);
    return { kind: "files", files: count };
  }
  let ms: number;
  try {
    ms = durationMs(value);
  } catch {
    throw new InvalidArgumentError(
      `expected a duration like 30m or 1h, or a file count like 60files, got "${value}".`,
    );
  }
  if (ms < 1000) throw new InvalidArgumentError(`expected a window of at least 1s, got "${value}".`);
  return { kind: "duration", ms };
}
