import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Benchmark, BenchContext } from "./core/Benchmark.js";
import { emptyReport, type BenchmarkResult } from "./core/BenchmarkResult.js";
import { formatTextTable } from "./core/formatTable.js";
import { machineInfo } from "./core/MachineInfo.js";
import { DOCS_DIR, RESULTS_DIR, TMP_DIR } from "./core/paths.js";
import { renderDocs } from "./core/renderDocs.js";
import { readResults, writeResult } from "./core/resultFiles.js";
import { BENCHMARKS } from "./benchmarks/index.js";

const USAGE = `usage: node bench/run.js [--quick] [--only name,name] [--list]
  --quick   every benchmark at tiny scale (CI); results go to bench/results/tmp/quick/, docs untouched
  --only    run only these benchmarks (${BENCHMARKS.map((b) => b.name).join(", ")})`;

/** Runs the selected benchmarks one after another; resolves to the process exit code. */
export async function main(args: readonly string[]): Promise<number> {
  const options = parseArgs(args);
  if (typeof options === "string") {
    console.error(options);
    return 2;
  }
  if (options.list) {
    for (const b of BENCHMARKS) console.log(`${b.name.padEnd(22)} ${b.title}`);
    return 0;
  }
  const resultsDir = options.quick ? join(TMP_DIR, "quick") : RESULTS_DIR;
  const results: BenchmarkResult[] = [];
  for (const benchmark of options.selected) {
    const result = await runOne(benchmark, options.quick);
    const path = writeResult(resultsDir, result);
    printResult(result, path);
    results.push(result);
  }
  printSummary(results);

  // Docs are drawn from every stored result (not only this run's), in the benchmarks' order.
  const stored = readResults(resultsDir);
  const ordered = BENCHMARKS.map((b) => stored.get(b.name)).filter(
    (r): r is BenchmarkResult => r !== undefined,
  );
  const [markdown, charts] = options.quick
    ? [join(resultsDir, "benchmarks.md"), join(resultsDir, "charts")]
    : [join(DOCS_DIR, "benchmarks.md"), join(DOCS_DIR, "benchmarks")];
  const written = renderDocs(ordered, markdown, charts);
  console.log(`\nwrote ${written.length} doc files (${markdown})`);

  const failed = results.filter((r) => r.status === "error");
  if (failed.length) {
    console.error(`\nFAILED: ${failed.map((r) => `${r.name} (${r.error})`).join("; ")}`);
    return 1;
  }
  return 0;
}

async function runOne(benchmark: Benchmark, quick: boolean): Promise<BenchmarkResult> {
  const workDir = join(TMP_DIR, quick ? "quick-work" : "work", benchmark.name);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const cleanups: (() => unknown)[] = [];
  const started = performance.now();
  const ctx: BenchContext = {
    quick,
    workDir,
    log: (message) =>
      console.log(`[${benchmark.name} ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}`),
    defer: (cleanup) => cleanups.push(cleanup),
  };
  const machine = machineInfo();
  console.log(`\n=== ${benchmark.name}: ${benchmark.title}${quick ? " (quick)" : ""}`);
  let report = emptyReport();
  let error: string | undefined;
  try {
    report = await benchmark.run(ctx);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (e) {
        console.error(`[${benchmark.name}] cleanup failed: ${String(e)}`);
      }
    }
    rmSync(workDir, { recursive: true, force: true });
  }
  return {
    name: benchmark.name,
    title: benchmark.title,
    description: benchmark.description,
    quick,
    status: error === undefined ? "ok" : "error",
    ...(error === undefined ? {} : { error }),
    machine,
    elapsedSeconds: (performance.now() - started) / 1000,
    ...report,
  };
}

function printResult(result: BenchmarkResult, path: string): void {
  for (const table of result.tables) console.log(`\n${formatTextTable(table)}`);
  if (result.targets.length) {
    console.log(
      `\n${formatTextTable({
        title: "targets",
        columns: ["target", "measured", "met"],
        rows: result.targets.map((t) => [t.target, t.measured, t.met ? "yes" : "NO"]),
      })}`,
    );
  }
  for (const note of result.notes) console.log(`note: ${note}`);
  console.log(`${result.name}: ${result.status} in ${result.elapsedSeconds.toFixed(1)} s → ${path}`);
}

function printSummary(results: readonly BenchmarkResult[]): void {
  console.log(
    `\n${formatTextTable({
      title: "=== all benchmarks: targets (issue 6)",
      columns: ["benchmark", "target", "measured", "met"],
      rows: results.flatMap((r) =>
        r.status === "error"
          ? [[r.name, "(benchmark failed)", (r.error ?? "").slice(0, 60), "NO"]]
          : r.targets.map((t) => [r.name, t.target, t.measured, t.met ? "yes" : "NO"]),
      ),
    })}`,
  );
  console.log(
    `\n${formatTextTable({
      title: "=== all benchmarks: runs",
      columns: ["benchmark", "status", "seconds", "targets met"],
      rows: results.map((r) => [
        r.name,
        r.status === "ok" ? "ok" : `ERROR: ${r.error ?? ""}`.slice(0, 80),
        r.elapsedSeconds.toFixed(1),
        `${r.targets.filter((t) => t.met).length}/${r.targets.length}`,
      ]),
    })}`,
  );
}

interface Options {
  quick: boolean;
  list: boolean;
  selected: Benchmark[];
}

function parseArgs(args: readonly string[]): Options | string {
  let quick = false;
  let list = false;
  let only: string[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--quick") quick = true;
    else if (arg === "--list") list = true;
    else if (arg === "--only" || arg.startsWith("--only=")) {
      const value = arg === "--only" ? args[++i] : arg.slice("--only=".length);
      if (!value) return `--only needs a list of names\n${USAGE}`;
      only = value.split(",").map((s) => s.trim());
    } else return `unknown argument "${arg}"\n${USAGE}`;
  }
  const unknown = (only ?? []).filter((name) => !BENCHMARKS.some((b) => b.name === name));
  if (unknown.length) return `--only: unknown benchmark ${unknown.join(", ")}\n${USAGE}`;
  const selected = only ? BENCHMARKS.filter((b) => only.includes(b.name)) : [...BENCHMARKS];
  return { quick, list, selected };
}
