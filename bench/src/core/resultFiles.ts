import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchmarkResult } from "./BenchmarkResult.js";

/** Writes <dir>/<name>.json (pretty, stable key order as built) and returns its path. */
export function writeResult(dir: string, result: BenchmarkResult): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${result.name}.json`);
  writeFileSync(path, JSON.stringify(result, null, 2) + "\n");
  return path;
}

/** Every <dir>/*.json result, keyed by name. */
export function readResults(dir: string): Map<string, BenchmarkResult> {
  const out = new Map<string, BenchmarkResult>();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch {
    return out;
  }
  for (const file of files.sort()) {
    const result = JSON.parse(readFileSync(join(dir, file), "utf8")) as BenchmarkResult;
    out.set(result.name, result);
  }
  return out;
}
