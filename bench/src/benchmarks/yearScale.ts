import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport, TargetCheck } from "../core/BenchmarkResult.js";
import { formatNumber, formatSig } from "../core/formatNumber.js";
import { CacheProcess } from "../infra/CacheProcess.js";
import { ModelSimProcess } from "../infra/ModelSimProcess.js";
import { runAugment, type AugmentRun } from "../infra/runAugment.js";

const SCALE = {
  full: { files: 100_000, noopRounds: 3 },
  quick: { files: 3_000, noopRounds: 2 },
};
/** The small folder a no-op run over all the files is compared with. */
const SMALL_FILES = 100;
/** Minute files from this unix time on. */
const FIRST_STAMP = 1_700_000_000;
/** Pairs of the tiny files (3 lines each): after the first files every pair is a local cache hit. */
const PAIRS = 50;
/** Levels come from model-sim through a memory-store proxy: cache behaviour is not what is measured here. */
const MODEL_CAPACITY = 1_000_000;

/**
 * A year of minute files on one box, parts (a) and (b) of issue 11: (a) the cost of a file must
 * not grow with the files already written in a pass; (b) a run with nothing to do must cost the
 * files after the checkpoint, not all files ever.
 */
export const yearScale: Benchmark = {
  name: "yearScale",
  title: "A year of files: flat cost per file in a pass, a no-op --once independent of the files done",
  description: `Tiny timestamp-named files (3 lines, ${PAIRS} pairs in all, so after the first files every pair is a local cache hit) in one local folder, augmented by one \`seniority augment --once\` process against a memory-store proxy in front of model-sim. (a) Files/s over the first and the last 10% of that pass, from the output files' modification times in completion order (process start-up excluded). (b) Wall time of a no-op \`--once\` (every file done) over that folder vs over a folder of ${SMALL_FILES} done files (each the median of several runs, process start included: what a CronJob run costs).`,
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const scale = ctx.quick ? SCALE.quick : SCALE.full;
    const model = await ModelSimProcess.start(ctx.workDir, MODEL_CAPACITY);
    ctx.defer(() => model.close());
    // The augmenter's --proxy must be the caching proxy (it reads its namespace at start).
    const proxy = await CacheProcess.start(ctx.workDir, {
      model: model.address,
      store: "memory",
      modelCapacity: MODEL_CAPACITY,
    });
    ctx.defer(() => proxy.close());
    const big = join(ctx.workDir, "many");
    const small = join(ctx.workDir, "few");
    for (const dir of [big, small]) rmSync(dir, { recursive: true, force: true }); // a fresh pass
    ctx.defer(() => [big, small].forEach((dir) => rmSync(dir, { recursive: true, force: true })));
    ctx.log(`writing ${formatNumber(scale.files)} + ${SMALL_FILES} tiny files`);
    writeTinyFiles(join(big, "raw"), scale.files);
    writeTinyFiles(join(small, "raw"), SMALL_FILES);
    const once = (dir: string): Promise<AugmentRun> =>
      runAugment({
        input: join(dir, "raw"),
        output: join(dir, "mod"),
        errors: join(dir, "errors"),
        proxy: proxy.address,
      });

    ctx.log(`(a) one pass over ${formatNumber(scale.files)} pending files`);
    const pass = await once(big);
    if (pass.summary.files.done !== scale.files)
      throw new Error(`the pass did ${pass.summary.files.done} of ${scale.files} files`);
    const rates = firstAndLastRates(join(big, "mod"), Math.floor(scale.files / 10));
    await once(small);

    ctx.log(`(b) no-op --once over ${formatNumber(scale.files)} vs ${SMALL_FILES} done files`);
    const noopBig: number[] = [];
    const noopSmall: number[] = [];
    for (let round = 0; round < scale.noopRounds; round++) {
      noopBig.push(checkNoop(await once(big)).wallSeconds);
      noopSmall.push(checkNoop(await once(small)).wallSeconds);
    }
    const bigSeconds = median(noopBig);
    const smallSeconds = median(noopSmall);
    const flatRatio = rates.last / rates.first;
    const noopRatio = bigSeconds / smallSeconds;
    const targets: TargetCheck[] = [
      {
        target: "yearScale (a): files/s over the last 10% of a pass ≥ 0.8 × the first 10%",
        measured: `${flatRatio.toFixed(2)}×`,
        met: flatRatio >= 0.8,
      },
      {
        target: `yearScale (b): no-op --once over ${formatNumber(scale.files)} done files ≤ 2 × over ${SMALL_FILES}`,
        measured: `${noopRatio.toFixed(2)}×`,
        met: noopRatio <= 2,
      },
    ];
    return {
      scale: {
        "files in the pass": scale.files,
        "lines a file": 3,
        "distinct pairs": PAIRS,
        "small folder files": SMALL_FILES,
        "no-op runs each": scale.noopRounds,
      },
      tables: [
        {
          title: `(a) One --once pass over ${formatNumber(scale.files)} pending files`,
          columns: ["part of the pass", "files", "files/s"],
          rows: [
            ["first 10%", rates.window, formatNumber(rates.first)],
            ["last 10%", rates.window, formatNumber(rates.last)],
            ["whole pass (process wall)", scale.files, formatNumber(scale.files / pass.wallSeconds)],
          ],
        },
        {
          title: "(b) A no-op --once (every file done; median wall, process start included)",
          columns: ["folder", "seconds", "runs"],
          rows: [
            [
              `${formatNumber(scale.files)} done files`,
              formatSig(bigSeconds),
              noopBig.map(formatSig).join(", "),
            ],
            [`${SMALL_FILES} done files`, formatSig(smallSeconds), noopSmall.map(formatSig).join(", ")],
          ],
        },
      ],
      targets,
      charts: [],
      metrics: {
        pass_first_10pct_files_per_s: rates.first,
        pass_last_10pct_files_per_s: rates.last,
        pass_flat_ratio: flatRatio,
        noop_many_seconds: bigSeconds,
        noop_few_seconds: smallSeconds,
        noop_ratio: noopRatio,
        pass_peak_rss_mb: pass.peakRssMB,
      },
      notes: [
        "A no-op run reads `_checkpoint.json` under the output and lists only after it; a local listing still reads the input directory's names once (readdir cannot start after a name), but stats, hashes and output checks only the files after the checkpoint.",
      ],
    };
  },
};

/** `count` minute files of 3 lines named by unix timestamp, written with a tight synchronous loop. */
function writeTinyFiles(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    let text = "";
    for (let line = 0; line < 3; line++) {
      const pair = (i * 3 + line) % PAIRS;
      text += `{"company":"Company ${pair % 10}","title":"Title ${pair}","scraped_on":${FIRST_STAMP + 60 * i}}\n`;
    }
    writeFileSync(join(dir, `${FIRST_STAMP + 60 * i}.jsonl`), text);
  }
}

/** Files/s over the first and the last `window` outputs, by their modification times (completion order). */
function firstAndLastRates(dir: string, window: number): { first: number; last: number; window: number } {
  const times = readdirSync(dir)
    .filter((name) => name.endsWith(".jsonl"))
    .map((name) => statSync(join(dir, name)).mtimeMs)
    .sort((a, b) => a - b);
  const rate = (from: number): number => (window - 1) / ((times[from + window - 1]! - times[from]!) / 1000);
  return { first: rate(0), last: rate(times.length - window), window };
}

function checkNoop(run: AugmentRun): AugmentRun {
  if (run.summary.files.done !== 0) throw new Error(`a no-op run did ${run.summary.files.done} files`);
  return run;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
