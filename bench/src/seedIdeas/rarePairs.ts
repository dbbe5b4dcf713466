import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generatePostings, type PostingStreamOptions } from "@seniority/datagen";
import { ModelSim } from "@seniority/model-sim";
import { replayStream, type RareVariant, type ReplayResult } from "./rarePairsReplay.js";
import type { SeedIdeaRow } from "./SeedIdeaRow.js";

export interface RarePairsOptions {
  /** Scratch directory (the stream's files and each variant's outputs go under it). */
  workDir: string;
  /**
   * The stream. Default: 90 minute files of ~3,000 lines (≈270K lines; per line the generator's
   * real statistics: 1.1% new pairs, half of them one-offs), seed 1.
   */
  stream?: PostingStreamOptions;
  /** Files replayed first with the policy off, not measured (a warm cache). Default 30. */
  warmFiles?: number;
  /** The policies measured beside the baseline. Default N=2 with a 10-minute and a 30-minute window. */
  variants?: { label: string; rare: NonNullable<RareVariant> }[];
  log?: (message: string) => void;
}

/** SPEC: about 8M lines a day. */
const LINES_A_DAY = 8_000_000;
const DEFAULT_STREAM: PostingStreamOptions = { seed: 1, files: 90, linesPerFile: 3000 };
const minutes = (n: number) => ({ kind: "duration" as const, ms: n * 60_000 });
const DEFAULT_VARIANTS = [
  { label: "+ rare defer (N=2, 10 min)", rare: { minCount: 2, window: minutes(10) } },
  { label: "+ rare defer (N=2, 30 min)", rare: { minCount: 2, window: minutes(30) } },
];

/**
 * Issue #14.3 measured (the seedIdeas table's "rare-pair defer" rows): the generated stream
 * replayed file by file (RarePairsReplay) with the policy off (baseline) and with each variant,
 * each against its own empty in-process cache and the same model-sim. Per variant: model items in
 * all (a deferred pair is still inferred once, by the backfill), the share of them taken off the
 * live path, lines left pending, and how long (stream time from a file's name to the run that
 * rewrote it). Every defer variant's final outputs must equal the baseline's byte for byte.
 */
export async function measureRarePairs(options: RarePairsOptions): Promise<SeedIdeaRow[]> {
  const log = options.log ?? (() => {});
  const stream = { ...DEFAULT_STREAM, ...options.stream };
  const warmFiles = options.warmFiles ?? 30;
  const measuredFiles = (stream.files ?? 10) - warmFiles;
  if (measuredFiles < 1) throw new RangeError(`warmFiles (${warmFiles}) leaves no file to measure`);
  const source = join(options.workDir, "stream");
  mkdirSync(source, { recursive: true });
  let lines = 0; // of the measured files
  for (const file of generatePostings(stream)) {
    const texts: string[] = [];
    for (const line of file.lines())
      texts.push(typeof line.text === "string" ? line.text : line.text.toString("latin1"));
    if (file.index >= warmFiles) lines += texts.length;
    writeFileSync(join(source, file.key), texts.join("\n") + "\n");
  }
  // Per day of the real stream: the generator's statistics are per line, so scale by lines.
  const perDay = (n: number) => Math.round((n * LINES_A_DAY) / lines);
  log(`stream: ${warmFiles} files to warm the cache, then ${measuredFiles} measured (${lines} lines)`);

  const sim = await ModelSim.start({ port: 0, capacity: 1_000_000 });
  try {
    const run = async (label: string, rare: RareVariant): Promise<ReplayResult> => {
      const started = performance.now();
      const result = await replayStream(
        sim,
        source,
        join(options.workDir, label.replace(/\W+/g, "-")),
        rare,
        warmFiles,
      );
      log(
        `${label}: ${result.modelItems} model items, ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      return result;
    };
    const baseline = await run("baseline", undefined);
    const rows: SeedIdeaRow[] = [
      {
        variant: "baseline",
        modelItems: baseline.modelItems,
        storeRoundTrips: baseline.storeRoundTrips,
        note: `${baseline.modelBatches} model batches; all items live (${perDay(baseline.modelItems)} per 8M-line day)`,
      },
    ];
    for (const { label, rare } of options.variants ?? DEFAULT_VARIANTS) {
      const result = await run(label, rare);
      for (const [name, bytes] of baseline.outputs)
        if (!bytes.equals(result.outputs.get(name) ?? Buffer.alloc(0)))
          throw new Error(`${label}: ${name} differs from the baseline's after the backfill`);
      rows.push({
        variant: label,
        modelItems: result.modelItems,
        storeRoundTrips: result.storeRoundTrips,
        note: noteOf(result, baseline, lines, perDay),
      });
    }
    return rows;
  } finally {
    await sim.close();
  }
}

function noteOf(
  result: ReplayResult,
  baseline: ReplayResult,
  lines: number,
  perDay: (n: number) => number,
): string {
  const moved = baseline.liveItems - result.liveItems;
  const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;
  const delayed = result.delays.reduce((sum, d) => sum + d.lines, 0);
  const meanDelay = result.delays.reduce((sum, d) => sum + d.seconds * d.lines, 0) / Math.max(1, delayed);
  const maxDelay = Math.max(0, ...result.delays.map((d) => d.seconds));
  return [
    `live items −${moved} (${pct(moved, baseline.liveItems)}; ${perDay(moved)}/day moved to backfills, total ${result.modelItems - baseline.modelItems >= 0 ? "+" : ""}${result.modelItems - baseline.modelItems})`,
    `${result.modelBatches} model batches`,
    `lines pending ${result.pendingLines} (${pct(result.pendingLines, lines)}; ${perDay(result.pendingLines)}/day) in ${result.deferredFiles} files`,
    `delay max ${(maxDelay / 60).toFixed(0)} min, line-weighted mean ${(meanDelay / 60).toFixed(1)} min`,
    `${result.pendingAtEnd} lines still pending at the stream's end (final --backfill-pending)`,
  ].join("; ");
}
