import { join } from "node:path";
import type { ModelSimStats } from "@seniority/model-sim";
import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { formatNumber, formatSig } from "../core/formatNumber.js";
import { countDistinctPairs, sendNaive, sendPerFileDedup } from "../baselines/modelCallBaselines.js";
import { ensureDataset, linkFiles } from "../infra/Dataset.js";
import { ModelSimProcess } from "../infra/ModelSimProcess.js";
import { RedisProcess } from "../infra/RedisProcess.js";
import { runAugment } from "../infra/runAugment.js";
import { STREAM } from "./datasets.js";
import { startCacheOnRedis } from "./startCacheOnRedis.js";

/** Raised for every variant so 2M naive items are really sent, fast; counts do not depend on it. */
const MODEL_CAPACITY = 1_000_000;

interface VariantResult {
  name: string;
  stats: ModelSimStats;
  seconds: number;
}

/**
 * One generated stream through (a) naive: an item a line, (b) per-file dedup, (c) this system:
 * two augmenter processes and one proxy. Every item is really sent to the model-sim, whose own
 * counters are the result.
 */
export const modelCalls: Benchmark = {
  name: "modelCalls",
  title: "Model calls for one generated stream: naive, per-file dedup, this system",
  description: `One generated stream (fixed seed, realistic ~5,500-line minute files) is replayed three ways, every item really sent to the model-sim (capacity raised so the naive variant finishes in seconds; the counts do not depend on it): (a) naive, one model item per line, in batches of 1000; (b) per-file dedup, each file's distinct pairs once, nothing kept between files; (c) this system, two \`seniority augment --once\` processes and one \`seniority cache\` proxy on Redis. The model-sim's own counters give items, batches and duplicate inferences; the floor is the stream's distinct pairs under the proxy's key.`,
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const spec = ctx.quick ? STREAM.quick : STREAM.full;
    const dataset = await ensureDataset(spec, ctx.log);
    const files = dataset.files.slice(0, spec.prefixFiles);
    const { lines, distinct } = await countDistinctPairs(dataset.dir, files);
    ctx.log(
      `${formatNumber(lines)} lines, ${formatNumber(distinct)} distinct pairs (standard normalization)`,
    );

    const model = await ModelSimProcess.start(ctx.workDir, MODEL_CAPACITY);
    ctx.defer(() => model.close());
    const results: VariantResult[] = [];
    const shares: number[] = [];
    const measure = async (name: string, run: () => Promise<unknown>) => {
      await model.resetStats();
      ctx.log(`variant: ${name}`);
      const started = performance.now();
      await run();
      results.push({ name, stats: await model.stats(), seconds: (performance.now() - started) / 1000 });
    };

    await measure("(a) naive: one item a line", () => sendNaive(dataset.dir, files, model.address));
    await measure("(b) per-file dedup, no cache between files", () =>
      sendPerFileDedup(dataset.dir, files, model.address),
    );

    const redis = await RedisProcess.start();
    ctx.defer(() => redis.close());
    const proxy = await startCacheOnRedis(ctx, model, redis, MODEL_CAPACITY);
    // Two workers on the same folder share its files through leases in Redis, as deployed.
    const input = linkFiles(dataset, files, join(ctx.workDir, "in"));
    const output = join(ctx.workDir, "out");
    await measure("(c) this system: 2 augmenters + 1 proxy", async () => {
      const runs = await Promise.all(
        [0, 1].map(() =>
          runAugment({ input, output, proxy: proxy.address, extraArgs: ["--leases", redis.url] }),
        ),
      );
      const written = runs.reduce((n, r) => n + r.summary.lines.out, 0);
      const done = runs.reduce((n, r) => n + r.summary.files.done, 0);
      if (written !== lines || done !== files.length) {
        throw new Error(
          `the augmenters wrote ${written} of ${lines} lines, ${done} of ${files.length} files`,
        );
      }
      shares.push(...runs.map((r) => r.summary.files.done));
    });

    const system = results[2]!;
    const ratio = (r: VariantResult) => Math.max(r.stats.items / distinct, 0);
    const meanBatch = (r: VariantResult) => r.stats.items / Math.max(1, r.stats.batches);
    return {
      scale: {
        files: files.length,
        lines,
        "mean lines a file": spec.linesPerFile,
        seed: String(spec.seed),
        "distinct pairs (standard normalization)": distinct,
        "model-sim capacity (items/s), every variant": MODEL_CAPACITY,
      },
      tables: [
        {
          title: `Model items for ${formatNumber(lines)} lines (${formatNumber(distinct)} distinct pairs)`,
          columns: [
            "variant",
            "model items",
            "batches",
            "mean batch",
            "items ÷ distinct",
            "duplicate inferences",
            "seconds",
          ],
          rows: results.map((r) => [
            r.name,
            formatNumber(r.stats.items),
            formatNumber(r.stats.batches),
            formatSig(meanBatch(r)),
            ratio(r).toFixed(2),
            formatNumber(r.stats.duplicateInferences),
            formatSig(r.seconds),
          ]),
        },
      ],
      targets: [
        {
          target: "this system: model items ÷ distinct keys = 1.00",
          measured: ratio(system).toFixed(3),
          met: system.stats.items === distinct,
        },
      ],
      charts: [
        {
          id: "model-calls",
          title: `Model items for one ${formatNumber(lines)}-line stream`,
          unit: "items",
          bars: [
            ...results.map((r, i) => ({
              label: r.name.replace(/^\(\w\) /, ""),
              value: r.stats.items,
              kind: (i === 2 ? "system" : "baseline") as "system" | "baseline",
            })),
            { label: "floor: distinct pairs", value: distinct, kind: "baseline" as const },
          ],
        },
      ],
      metrics: Object.fromEntries(
        results.flatMap((r, i) => [
          [`${"abc"[i]}_model_items`, r.stats.items],
          [`${"abc"[i]}_model_batches`, r.stats.batches],
          [`${"abc"[i]}_items_per_distinct`, ratio(r)],
        ]),
      ),
      notes: [
        `The stream is ${files.length} consecutive minute files of the generator's realistic size (${formatSig(lines / files.length)} lines a file on average), ${formatSig(files.length / 60)} hours of scraper output. The generator's pair draw does not depend on timestamps; spanning several days with this many lines would need files several times smaller, which would only make per-file dedup look worse.`,
        "Distinct pairs are counted with the proxy's default key (pair-key `standard` normalization): case or spacing variants are different keys, as the proxy sees them.",
        "(c) at a raised model capacity the proxy need not wait for full batches (it flushes a partial batch after its 5 ms delay when no backlog exists); batch fullness under a backlog is measured by coldBackfill.",
        `(c) The two augmenters ran \`augment --once --leases <redis>\` on the same folder and split its files ${shares.join(" / ")} through leases.`,
      ],
    };
  },
};
