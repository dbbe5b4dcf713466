import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { formatNumber, formatSig } from "../core/formatNumber.js";
import { percentile } from "../core/percentile.js";
import { parsePrometheus, sumSamples } from "../core/prometheusText.js";
import { runClosedLoop } from "../core/runClosedLoop.js";
import { syntheticPairs } from "../core/syntheticPairs.js";
import { GrpcLoadClient, encodeRequest } from "../baselines/GrpcLoadClient.js";
import { CacheProcess } from "../infra/CacheProcess.js";
import { ModelSimProcess } from "../infra/ModelSimProcess.js";
import { RedisProcess } from "../infra/RedisProcess.js";

interface Scale {
  pairs: number;
  capacity: number;
  bulkConcurrency: number;
  interactiveEveryMs: number;
}
interface Variant {
  name: string;
  title: string;
  scale: { full: Scale; quick: Scale };
  /** The interactive p99 target, ms. */
  p99TargetMs: number;
}

const INTERACTIVE_PAIRS = 10;
const MB = 2 ** 20;

/**
 * An empty cache takes a backfill of distinct pairs (1000-pair bulk requests, closed loop) while
 * another caller issues small requests of new pairs on a fixed schedule: does the proxy keep the
 * model at capacity (full batches, never above it), and do small callers still get quick answers?
 * Two variants: a raised capacity (20,000/s, many batches a second) and the model's real 1,000/s,
 * where an interactive miss waits behind at most the one batch the model is serving.
 */
export const coldBackfill = makeColdBackfill({
  name: "coldBackfill",
  title: "Cold backfill: model utilization and interactive latency under a backlog",
  scale: {
    full: { pairs: 200_000, capacity: 20_000, bulkConcurrency: 24, interactiveEveryMs: 100 },
    quick: { pairs: 5_000, capacity: 20_000, bulkConcurrency: 8, interactiveEveryMs: 20 },
  },
  p99TargetMs: 1000,
});

export const coldBackfillRealCapacity = makeColdBackfill({
  name: "coldBackfillRealCapacity",
  title:
    "Cold backfill at the model's real capacity (1,000 items/s): interactive latency under a full bulk backlog",
  scale: {
    full: { pairs: 40_000, capacity: 1000, bulkConcurrency: 8, interactiveEveryMs: 200 },
    quick: { pairs: 4_000, capacity: 1000, bulkConcurrency: 4, interactiveEveryMs: 200 },
  },
  p99TargetMs: 1200,
});

function makeColdBackfill(variant: Variant): Benchmark {
  return {
    name: variant.name,
    title: variant.title,
    description: `An empty cache takes a backfill of distinct pairs (1000-pair bulk requests, closed loop) with the model-sim and the proxy's pacing both at the same capacity, while another caller sends small requests of new pairs on a fixed schedule. Utilization = model items ÷ (capacity × elapsed) while the backlog exists; the model-sim reports its peak items in any 1-second window; the small requests' latency shows whether the interactive lane keeps working under the backlog.`,
    async run(ctx: BenchContext): Promise<BenchmarkReport> {
      const scale = ctx.quick ? variant.scale.quick : variant.scale.full;
      const redis = await RedisProcess.start();
      ctx.defer(() => redis.close());
      const model = await ModelSimProcess.start(ctx.workDir, scale.capacity);
      ctx.defer(() => model.close());
      const proxy = await CacheProcess.start(ctx.workDir, {
        name: `cache-${variant.name}`,
        model: model.address,
        store: redis.url,
        layout: "compact",
        modelCapacity: scale.capacity,
      });
      ctx.defer(() => proxy.close());
      const bulkClient = new GrpcLoadClient(proxy.address);
      const smallClient = new GrpcLoadClient(proxy.address);
      ctx.defer(() => bulkClient.close());
      ctx.defer(() => smallClient.close());

      const bulkPairs = syntheticPairs(scale.pairs, 21);
      // Interactive pairs are new too (misses): the hard case, they need the model during the backlog.
      const smallPairs = syntheticPairs(scale.pairs, 22).map((p) => ({
        company: `${p.company} (interactive)`,
        title: p.title,
      }));
      const bulkRequests = Math.ceil(scale.pairs / 1000);
      // Encoded up front: the load generator shares the machine's two cores with the proxy.
      const encoded = Array.from({ length: bulkRequests }, (_, i) =>
        encodeRequest(bulkPairs.slice(i * 1000, (i + 1) * 1000)),
      );
      await model.resetStats();
      const cpuBefore = proxy.reading().cpuSeconds;

      ctx.log(`backfilling ${scale.pairs} pairs at model capacity ${scale.capacity}/s`);
      const smallLatencies: number[] = [];
      const smallCalls: Promise<void>[] = [];
      let smallIndex = 0;
      const ticker = setInterval(() => {
        const request = encodeRequest(smallPairs.slice(smallIndex, smallIndex + INTERACTIVE_PAIRS));
        smallIndex += INTERACTIVE_PAIRS;
        const t0 = performance.now();
        smallCalls.push(
          smallClient.call(request, 60_000).then(() => void smallLatencies.push(performance.now() - t0)),
        );
      }, scale.interactiveEveryMs);
      const started = performance.now();
      // The model's item count over time (every 250 ms), for the utilization away from the ramps.
      const series: { at: number; items: number; queued: number }[] = [];
      let polling = Promise.resolve();
      const poller = setInterval(() => {
        polling = polling.then(async () => {
          const at = (performance.now() - started) / 1000;
          const [stats, metrics] = await Promise.all([model.stats(), proxy.metrics()]);
          const queued = sumSamples(parsePrometheus(metrics), "seniority_cache_queue_depth");
          series.push({ at, items: stats.items, queued });
        });
      }, 250);
      let bulk;
      try {
        bulk = await runClosedLoop(
          (i) => bulkClient.call(encoded[i]!, 10 * 60_000, { "x-seniority-priority": "bulk" }),
          {
            concurrency: scale.bulkConcurrency,
            durationMs: 30 * 60_000,
            maxOperations: bulkRequests,
          },
        );
      } finally {
        clearInterval(ticker);
        clearInterval(poller);
      }
      const elapsed = (performance.now() - started) / 1000;
      await polling;
      const middle = middleRate(series, elapsed);
      await Promise.all(smallCalls);
      const proxyCpu = proxy.reading().cpuSeconds - cpuBefore;
      const proxyMem = proxy.reading();
      const stats = await model.stats();
      if (bulk.items !== scale.pairs)
        throw new Error(`backfill answered ${bulk.items} of ${scale.pairs} pairs`);

      const smallSent = smallLatencies.length * INTERACTIVE_PAIRS;
      const utilization = stats.items / (scale.capacity * elapsed);
      const meanBatch = stats.items / stats.batches;
      const fullBatches = stats.batchSizes.filter((n) => n >= 950).length;
      // Interactive misses leave in batches of their own (small); the bulk ones are what fill.
      const bulkBatches = stats.batchSizes.filter((n) => n > 100);
      const meanBulkBatch = bulkBatches.reduce((a, b) => a + b, 0) / bulkBatches.length;
      const p99 = percentile(smallLatencies, 99);
      return {
        scale: {
          "distinct pairs backfilled": scale.pairs,
          "model-sim capacity (items/s)": scale.capacity,
          "proxy pacing (items/s)": scale.capacity,
          "bulk requests in flight": scale.bulkConcurrency,
          "interactive request": `${INTERACTIVE_PAIRS} new pairs every ${scale.interactiveEveryMs} ms`,
        },
        tables: [
          {
            title: "Model during the backfill",
            columns: ["measure", "value"],
            rows: [
              ["elapsed while a backlog exists, s", formatSig(elapsed)],
              ["model items (bulk + interactive)", formatNumber(stats.items)],
              ["distinct pairs sent (bulk + interactive)", formatNumber(scale.pairs + smallSent)],
              ["duplicate inferences", formatNumber(stats.duplicateInferences)],
              ["batches", formatNumber(stats.batches)],
              ["mean batch size", formatSig(meanBatch)],
              ["mean bulk batch size (batches > 100 items)", formatSig(meanBulkBatch)],
              [
                "batches of ≥ 950 items",
                `${formatNumber(fullBatches)} of ${formatNumber(stats.batchSizes.length)}`,
              ],
              ["utilization = items ÷ (capacity × elapsed)", formatSig(utilization)],
              ["utilization in the middle 80% of the elapsed time", formatSig(middle / scale.capacity)],
              [
                "samples (every 250 ms) with ≥ 1000 misses queued in the proxy",
                `${series.filter((x) => x.queued >= 1000).length} of ${series.length}`,
              ],
              ["peak items in any 1 s window", formatNumber(stats.peakItemsPerSecond)],
              ["model queue delay max, s", formatSig(stats.queueDelaySeconds.max)],
            ],
          },
          {
            title: `Interactive ${INTERACTIVE_PAIRS}-pair requests (new pairs) during the backfill`,
            columns: ["requests", "p50 ms", "p99 ms", "max ms"],
            rows: [
              [
                smallLatencies.length,
                formatSig(percentile(smallLatencies, 50)),
                formatSig(p99),
                formatSig(Math.max(...smallLatencies)),
              ],
            ],
          },
          {
            title: "Proxy process",
            columns: ["CPU s", "CPU s / 1M pairs", "RSS MB", "peak RSS MB"],
            rows: [
              [
                formatSig(proxyCpu),
                formatSig((proxyCpu / stats.items) * 1e6),
                formatSig(proxyMem.rssBytes / MB),
                formatSig(proxyMem.hwmBytes / MB),
              ],
            ],
          },
        ],
        targets: [
          { target: "backfill utilization ≥ 0.9", measured: formatSig(utilization), met: utilization >= 0.9 },
          {
            target: "model peak never above capacity",
            measured: `${formatNumber(stats.peakItemsPerSecond)} of ${formatNumber(scale.capacity)}/s`,
            met: stats.peakItemsPerSecond <= scale.capacity,
          },
          {
            target: `interactive p99 ≤ ${formatNumber(variant.p99TargetMs)} ms during the backfill`,
            measured: `${formatSig(p99)} ms`,
            met: p99 <= variant.p99TargetMs,
          },
          {
            target: "mean bulk batch (> 100 items) ≥ 950 under backlog",
            measured: formatSig(meanBulkBatch),
            met: meanBulkBatch >= 950,
          },
          {
            target: "no duplicate inferences",
            measured: formatNumber(stats.duplicateInferences),
            met: stats.duplicateInferences === 0,
          },
        ],
        charts: [],
        metrics: {
          elapsed_seconds: elapsed,
          model_items: stats.items,
          model_batches: stats.batches,
          mean_batch_size: meanBatch,
          mean_bulk_batch_size: meanBulkBatch,
          utilization,
          utilization_middle: middle / scale.capacity,
          peak_items_per_second: stats.peakItemsPerSecond,
          interactive_p50_ms: percentile(smallLatencies, 50),
          interactive_p99_ms: p99,
          proxy_cpu_seconds: proxyCpu,
        },
        notes: [
          `Elapsed runs from the first bulk request to the last bulk answer; a backlog exists throughout: ${scale.bulkConcurrency} bulk requests of 1000 new pairs are always outstanding (${formatSig((scale.bulkConcurrency * 1000) / scale.capacity)} s of model capacity) until the last ones drain.`,
          "Peak items/s is the model-sim's own count of items accepted in any sliding 1-second window.",
        ],
      };
    },
  };
}

/** Items a second between the samples nearest 10% and 90% of the elapsed time (NaN if too few). */
function middleRate(series: readonly { at: number; items: number }[], elapsed: number): number {
  const near = (t: number) =>
    series.reduce((best, s) => (Math.abs(s.at - t) < Math.abs(best.at - t) ? s : best), series[0]!);
  if (series.length < 3) return Number.NaN;
  const [from, to] = [near(elapsed * 0.1), near(elapsed * 0.9)];
  return to.at > from.at ? (to.items - from.items) / (to.at - from.at) : Number.NaN;
}
