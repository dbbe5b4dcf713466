import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Issue 15: no file over 250 lines (tests included); aim for ~200. */
const MAX_LINES = 250;
const DIRS = ["libs/", "services/", "bench/", "test/", "deploy/"];
/** Generated, never edited by hand (ts-proto's output is git-ignored; listed in case it is added). */
const GENERATED = ["libs/proto/src/gen/"];

/** Every .ts file git tracks under DIRS (not generated code, node_modules or dist), with its line count. */
function trackedTypeScript(): { path: string; lines: number }[] {
  const listed = execFileSync("git", ["ls-files", "-z", "--", ...DIRS], { cwd: ROOT, encoding: "utf8" });
  return listed
    .split("\0")
    .filter((path) => path.endsWith(".ts"))
    .filter((path) => !GENERATED.some((dir) => path.startsWith(dir)))
    .filter((path) => !/(^|\/)(node_modules|dist)\//.test(path))
    .map((path) => ({ path, lines: lineCount(readFileSync(join(ROOT, path), "utf8")) }));
}

/** Lines as `wc -l` counts them, plus a last line without a newline. */
function lineCount(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

describe("file size (issue 15)", () => {
  const files = trackedTypeScript();

  it(`every tracked .ts file under ${DIRS.join(", ")} has at most ${MAX_LINES} lines`, () => {
    expect(files.length).toBeGreaterThan(100); // git listed the tree, not nothing
    const offenders = files
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ path, lines }) => `${path}: ${lines} lines`);
    expect(offenders, `files over ${MAX_LINES} lines:\n${offenders.join("\n")}`).toEqual([]);
  });
});
