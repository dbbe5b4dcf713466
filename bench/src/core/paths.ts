import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The repository root (this file is bench/dist/core/paths.js once built). */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const BENCH_DIST = join(REPO_ROOT, "bench", "dist");
export const RESULTS_DIR = join(REPO_ROOT, "bench", "results");
/** Scratch space: generated data, quick-run results. Ignored by git. */
export const TMP_DIR = join(RESULTS_DIR, "tmp");
export const DOCS_DIR = join(REPO_ROOT, "docs");
/** The `seniority` CLI entry every service process is started from. */
export const CLI_BIN = join(REPO_ROOT, "services", "cli", "bin", "seniority.js");
