import type { PostingStreamOptions } from "@seniority/datagen";
import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { formatNumber } from "../core/formatNumber.js";
import { RedisProcess } from "../infra/RedisProcess.js";
import { measureBloom } from "../seedIdeas/bloom.js";
import { clusterTitles } from "../seedIdeas/clusterTitles.js";
import { measureRarePairs } from "../seedIdeas/rarePairs.js";
import type { SeedIdeaRow } from "../seedIdeas/SeedIdeaRow.js";
import { measureWarm } from "../seedIdeas/warm.js";

/** One generated stream for every idea: ~330,000 lines (60 minute files), the scaled "month". */
const STREAM: {
  full: Required<Pick<PostingStreamOptions, "seed" | "files" | "linesPerFile">>;
  quick: typeof STREAM.full;
} = {
  full: { seed: 20240717, files: 60, linesPerFile: 5500 },
  quick: { seed: 20240717, files: 8, linesPerFile: 800 },
};

interface IdeaRows {
  idea: string;
  /** On by default? From the numbers (see the notes and each idea's page). */
  byDefault: string;
  rows: SeedIdeaRow[];
}

/**
 * The original design's remaining call-saving ideas, each measured on the same generated stream
 * against its own baseline, the way the idea works: warm-up (warm from the first half, then serve
 * the second), a Bloom filter in front of Redis (a cold half, then a restart and the steady half),
 * the rare-pair policy (replay file by file, then the backfill), title clustering (the key modes
 * over the whole stream and a held-out sample of hand-written titles).
 */
export const seedIdeas: Benchmark = {
  name: "seedIdeas",
  title: "The original design's remaining ideas: warm-up, Bloom filter, rare-pair defer, title clustering",
  description:
    "One generated stream (fixed seed, the generator's minute files; its first half is the \"previous month\" where an idea needs one) through an in-process cache for each idea and its baseline side by side: model items, store round trips, and each idea's own figures. Model-sim's level function is the model (instant, so the figures are counts, not times). Eviction, the fifth idea, saves no call: its memory per layout is in the eviction benchmark.",
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const stream = ctx.quick ? STREAM.quick : STREAM.full;
    const redis = await RedisProcess.start();
    ctx.defer(() => redis.close());
    const ideas: IdeaRows[] = [];
    ctx.log("warm-up from the previous month");
    ideas.push({
      idea: "warm-up (idea 4)",
      byDefault: "run on demand",
      rows: await measureWarm({ ...stream, log: ctx.log }),
    });
    ctx.log("Bloom filter in front of Redis");
    const bloom = await measureBloom({
      redisUrl: redis.url,
      filesPerMonth: Math.floor(stream.files / 2),
      linesPerFile: stream.linesPerFile,
      seed: stream.seed,
      log: ctx.log,
    });
    ideas.push({ idea: "Bloom filter (idea 3)", byDefault: "off", rows: bloom.rows });
    ctx.log("rare-pair defer");
    ideas.push({
      idea: "rare-pair defer (idea 5)",
      byDefault: "off",
      rows: await measureRarePairs({
        workDir: ctx.workDir,
        stream,
        warmFiles: Math.floor(stream.files / 3),
        log: ctx.log,
      }),
    });
    ctx.log("title clustering");
    ideas.push({
      idea: "title clustering (idea 6)",
      byDefault: "off",
      rows: await clusterTitles({ stream }),
    });
    return {
      scale: {
        "stream files": stream.files,
        "mean lines a file": stream.linesPerFile,
        "lines (about)": stream.files * stream.linesPerFile,
        seed: stream.seed,
      },
      tables: [
        {
          title: "Each idea beside its own baseline, on one generated stream",
          columns: ["idea", "variant", "model items", "store round trips", "what else it did", "default"],
          rows: ideas.flatMap(({ idea, byDefault, rows }) =>
            rows.map((row, i) => [
              i === 0 ? idea : "",
              row.variant,
              formatNumber(row.modelItems),
              row.storeRoundTrips === null ? "—" : formatNumber(row.storeRoundTrips),
              row.note,
              i === 0 ? byDefault : "",
            ]),
          ),
        },
      ],
      targets: [],
      charts: [],
      metrics: Object.fromEntries(
        ideas.flatMap(({ idea, rows }) =>
          rows.map((row) => [`${slug(idea)}_${slug(row.variant)}_model_items`, row.modelItems]),
        ),
      ),
      notes: [
        "Each idea runs the way it works, so each has its own baseline row: warm-up serves the second half of the stream after warming from the first; the Bloom filter runs the first half cold, then restarts (L1 empty, the filter rebuilt from Redis) for the second; the rare-pair policy replays the files after a warm-up third; title clustering keys the whole stream.",
        "Why the defaults: warm-up moves model work earlier rather than saving it (a tool to run for a new region or model version); the Bloom filter saves store round trips only in a cold backfill, which the model paces anyway; rare-pair defer sends the same items, later; title clustering saves keys but gives some spellings another spelling's level (model-sim is the oracle; a real model may disagree more). See docs/warm-up.md, docs/bloom-filter.md, docs/rare-pairs.md, docs/title-clustering.md, docs/eviction.md.",
      ],
    };
  },
};

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
}
