import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "@seniority/datagen";
import { TMP_DIR } from "../core/paths.js";

/** A generated folder of minute files, as the scraper would write them. */
export interface Dataset {
  dir: string;
  /** File names, oldest first. */
  files: string[];
  lines: number;
  bytes: number;
  /** Distinct pairs, byte for byte and case-folded (the generator's own count). */
  distinctExact: number;
  distinctCasefold: number;
}

export interface DatasetSpec {
  files: number;
  /** Mean lines a file (each file 0.5–1.5 × this), as `seniority gen --lines`. */
  linesPerFile: number;
  seed: number;
}

/**
 * The files `seniority gen --files F --lines L --seed S` writes (through its programmatic API),
 * generated once and kept under bench/results/tmp/data/ for later runs. The generator is
 * deterministic and its first files do not change when --files grows, so a longer dataset's
 * first files equal a shorter one's.
 */
export async function ensureDataset(spec: DatasetSpec, log: (m: string) => void): Promise<Dataset> {
  const dir = join(TMP_DIR, "data", `gen-f${spec.files}-l${spec.linesPerFile}-s${spec.seed}`);
  const marker = join(dir, ".summary.json");
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    log(`generating ${spec.files} files of ~${spec.linesPerFile} lines (seed ${spec.seed}) into ${dir}`);
    const started = performance.now();
    const summary = await generate({
      output: dir,
      files: spec.files,
      linesPerFile: spec.linesPerFile,
      seed: spec.seed,
    });
    const seconds = (performance.now() - started) / 1000;
    writeFileSync(marker, JSON.stringify({ ...summary, generatedInSeconds: seconds }));
    log(
      `generated ${summary.lines} lines, ${(summary.bytes / 2 ** 20).toFixed(0)} MB in ${seconds.toFixed(1)} s`,
    );
  }
  const summary = JSON.parse(readFileSync(marker, "utf8")) as {
    lines: number;
    bytes: number;
    distinctPairs: number;
    distinctPairsCasefold: number;
  };
  return {
    dir,
    files: jsonlFiles(dir),
    lines: summary.lines,
    bytes: summary.bytes,
    distinctExact: summary.distinctPairs,
    distinctCasefold: summary.distinctPairsCasefold,
  };
}

/** Hard-links some of a dataset's files into `dir` (emptied first): a folder of just those files. */
export function linkFiles(dataset: Dataset, files: readonly string[], dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of files) linkSync(join(dataset.dir, file), join(dir, file));
  return dir;
}

export function jsonlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort();
}
