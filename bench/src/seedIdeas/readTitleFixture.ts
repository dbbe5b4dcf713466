import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../core/paths.js";

/** The held-out sample of realistic titles (hand-written, not made by the cluster rules). */
export const REALISTIC_TITLES = join(REPO_ROOT, "bench", "data", "realisticTitles.txt");

/** The titles of a fixture file, in order: one a line, "#" lines and blank lines left out. */
export function readTitleFixture(path: string = REALISTIC_TITLES): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith("#"));
}
