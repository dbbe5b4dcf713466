import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { formatNumber, formatSig } from "../core/formatNumber.js";
import { percentile } from "../core/percentile.js";
import type { ProcReading } from "../core/ProcessSampler.js";
import type { ModelSimStats } from "@seniority/model-sim";
import { DEFAULT_BULK_SLICE_MS } from "@seniority/seniority-cache";
import {
  INTERACTIVE_PAIRS,
  type ColdBackfillScale,
  type ColdBackfillVariant,
} from "./coldBackfillVariant.js";

const MB = 2 ** 20;

export interface ColdBackfillRun {
  variant: ColdBackfillVariant;
  scale: ColdBackfillScale;
  /** The model-sim's counters over the backfill. */
  stats: ModelSimStats;
  /** From the first bulk request to the last bulk answer, s. */
  elapsed: number;
  /** The model's item count and the proxy's queue every 250 ms. */
  series: readonly { at: number; items: number; queued: number }[];
  /** The interactive requests' latencies, ms. */
  smallLatencies: readonly number[];
  proxyCpu: number;
  proxyMem: ProcReading;
}

/** coldBackfill's tables and targets from one run. */
export function coldBackfillReport(run: ColdBackfillRun): BenchmarkReport {
  const { variant, scale, stats, elapsed, series, smallLatencies, proxyCpu, proxyMem } = run;
  const middle = middleRate(series, elapsed);
  const smallSent = smallLatencies.length * INTERACTIVE_PAIRS;
  const utilization = stats.items / (scale.capacity * elapsed);
  const meanBatch = stats.items / stats.batches;
  // Interactive callers are about throughout, so bulk batches are sliced to the proxy's default
  // --bulk-slice-ms of the model's time (500 items at 1,000/s; a full 1000 at 20,000/s).
  const bulkLimit = Math.min(1000, Math.floor((scale.capacity * DEFAULT_BULK_SLICE_MS) / 1000));
  // The interactive requests take ~5% of every window here (50 items/s), and a bulk batch fills
  // the room they leave when that is ≥ 90% of it: under backlog bulk batches average 90–95%.
  const fullBatches = stats.batchSizes.filter((n) => n >= 0.9 * bulkLimit).length;
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
      "bulk batch limit beside interactive callers": `${bulkLimit} items (--bulk-slice-ms ${DEFAULT_BULK_SLICE_MS})`,
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
            `batches of ≥ 90% of the bulk limit (${formatNumber(bulkLimit)})`,
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
        target: `mean bulk batch (> 100 items) ≥ 90% of its limit (${formatNumber(bulkLimit)}) under backlog`,
        measured: formatSig(meanBulkBatch),
        met: meanBulkBatch >= 0.9 * bulkLimit,
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
}

/** Items a second between the samples nearest 10% and 90% of the elapsed time (NaN if too few). */
function middleRate(series: readonly { at: number; items: number }[], elapsed: number): number {
  const near = (t: number) =>
    series.reduce((best, s) => (Math.abs(s.at - t) < Math.abs(best.at - t) ? s : best), series[0]!);
  if (series.length < 3) return Number.NaN;
  const [from, to] = [near(elapsed * 0.1), near(elapsed * 0.9)];
  return to.at > from.at ? (to.items - from.items) / (to.at - from.at) : Number.NaN;
}
