import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { parsePrometheus, sumSamples } from "../core/prometheusText.js";
import { runClosedLoop } from "../core/runClosedLoop.js";
import { syntheticPairs } from "../core/syntheticPairs.js";
import { GrpcLoadClient, encodeRequest } from "../baselines/GrpcLoadClient.js";
import { CacheProcess } from "../infra/CacheProcess.js";
import { ModelSimProcess } from "../infra/ModelSimProcess.js";
import { RedisProcess } from "../infra/RedisProcess.js";
import { coldBackfillReport } from "./coldBackfillReport.js";
import { INTERACTIVE_PAIRS, type ColdBackfillVariant } from "./coldBackfillVariant.js";

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
    full: {
      pairs: 400_000,
      warmPairs: 40_000,
      capacity: 20_000,
      bulkConcurrency: 24,
      interactiveEveryMs: 100,
    },
    quick: { pairs: 5_000, warmPairs: 2_000, capacity: 20_000, bulkConcurrency: 8, interactiveEveryMs: 20 },
  },
  p99TargetMs: 1000,
});

export const coldBackfillRealCapacity = makeColdBackfill({
  name: "coldBackfillRealCapacity",
  title:
    "Cold backfill at the model's real capacity (1,000 items/s): interactive latency under a full bulk backlog",
  scale: {
    full: { pairs: 40_000, warmPairs: 4_000, capacity: 1000, bulkConcurrency: 8, interactiveEveryMs: 200 },
    quick: { pairs: 4_000, warmPairs: 1_000, capacity: 1000, bulkConcurrency: 4, interactiveEveryMs: 200 },
  },
  p99TargetMs: 1200,
});

function makeColdBackfill(variant: ColdBackfillVariant): Benchmark {
  return {
    name: variant.name,
    title: variant.title,
    description: `An empty cache takes a backfill of distinct pairs (1000-pair bulk requests, closed loop; the proxy first serves a short backfill of other pairs, unmeasured, so it runs warm as a service does) with the model-sim and the proxy's pacing both at the same capacity, while another caller sends small requests of new pairs on a fixed schedule. Utilization = model items ÷ (capacity × elapsed) while the backlog exists; the model-sim reports its peak items in any 1-second window; the small requests' latency shows whether the interactive lane keeps working under the backlog.`,
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
      // A proxy that has served before (its code compiled, its connections open), as one does when a
      // backfill begins: a short backfill of other pairs, then a pause so its sends leave the window.
      const warm = syntheticPairs(scale.warmPairs, 23).map((p) => ({
        company: `${p.company} (warm-up)`,
        title: p.title,
      }));
      ctx.log(`warming the proxy with ${scale.warmPairs} other pairs`);
      await runClosedLoop(
        (i) =>
          bulkClient.call(encodeRequest(warm.slice(i * 1000, (i + 1) * 1000)), 60_000, {
            "x-seniority-priority": "bulk",
          }),
        {
          concurrency: scale.bulkConcurrency,
          durationMs: 60_000,
          maxOperations: Math.ceil(scale.warmPairs / 1000),
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
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
      await Promise.all(smallCalls);
      const proxyCpu = proxy.reading().cpuSeconds - cpuBefore;
      const proxyMem = proxy.reading();
      const stats = await model.stats();
      if (bulk.items !== scale.pairs)
        throw new Error(`backfill answered ${bulk.items} of ${scale.pairs} pairs`);

      return coldBackfillReport({
        variant,
        scale,
        stats,
        elapsed,
        series,
        smallLatencies,
        proxyCpu,
        proxyMem,
      });
    },
  };
}
