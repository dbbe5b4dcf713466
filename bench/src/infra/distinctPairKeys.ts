import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pairKey } from "@seniority/pair-key";

/**
 * Distinct cache keys (pair keys under "standard" normalization, the proxy's default) of the valid
 * lines of `files` in `dir`: the number of model items a perfect cache sends for them.
 */
export function distinctPairKeys(dir: string, files: readonly string[]): number {
  const keys = new Set<string>();
  for (const file of files) {
    for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
      if (line.trim() === "") continue;
      let posting: unknown;
      try {
        posting = JSON.parse(line);
      } catch {
        continue; // a bad line: the augmenter sends it to the errors object, not the model
      }
      const { company, title } = (posting ?? {}) as { company?: unknown; title?: unknown };
      if (typeof company !== "string" || typeof title !== "string") continue;
      keys.add(pairKey(company, title, "standard").toString("latin1"));
    }
  }
  return keys.size;
}
