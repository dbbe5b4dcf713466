import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { BENCH_DIST } from "../core/paths.js";
import { runMeasured, shellWords, type MeasuredRun } from "../infra/runMeasured.js";

/**
 * `jq -c '. + {seniority: 3}'` over every .jsonl file of `inputDir`, one jq process a file (as a
 * shell loop would run it), each writing the same name under `outputDir` (emptied first).
 */
export async function runJqBaseline(inputDir: string, outputDir: string): Promise<MeasuredRun> {
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  return runMeasured(
    `for f in "$IN"/*.jsonl; do jq -c '. + {seniority: 3}' "$f" > "$OUT/\${f##*/}" || exit 1; done`,
    {
      env: { IN: inputDir, OUT: outputDir },
    },
  );
}

/** The Node floor (nodeFloorMain) over `inputDir` into `outputDir` (emptied first); returns lines too. */
export async function runNodeFloor(
  inputDir: string,
  outputDir: string,
): Promise<MeasuredRun & { lines: number }> {
  rmSync(outputDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  const script = join(BENCH_DIST, "baselines", "nodeFloorMain.js");
  const run = await runMeasured(shellWords(process.execPath, script, inputDir, outputDir));
  const { lines } = JSON.parse(run.stdout.trim().split("\n").pop()!) as { lines: number };
  return { ...run, lines };
}
