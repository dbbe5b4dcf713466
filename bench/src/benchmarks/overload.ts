import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { formatNumber, formatSig } from "../core/formatNumber.js";
import { percentile } from "../core/percentile.js";
import { syntheticPairs } from "../core/syntheticPairs.js";
import { GrpcLoadClient, encodeRequest, type EncodedRequest } from "../baselines/GrpcLoadClient.js";
import { CacheProcess } from "../infra/CacheProcess.js";
import { ModelSimProcess } from "../infra/ModelSimProcess.js";

const SCALE = {
  full: { seconds: 60, bulkClients: 45, interactiveClients: 5 },
  quick: { seconds: 8, bulkClients: 9, interactiveClients: 1 },
};
const CAPACITY = 1000;
/** The staging overlay's heap cap and memory limit: what the proxy must live within. */
const HEAP_MIB = 320;
const MEMORY_LIMIT_MIB = 512;
const BULK_ITEMS = 1000;
/** Requests each bulk client keeps outstanding, and their deadline (ms). */
const BULK_OUTSTANDING = 2;
const BULK_DEADLINE_MS = 15_000;
const INTERACTIVE_EVERY_MS = 200;
const MB = 2 ** 20;

type Lane = "bulk" | "interactive";

/**
 * Far above capacity: 50 clients, each always with a request outstanding (bulk: 1000 new pairs;
 * interactive: 1 new pair every 200 ms), against a heap-capped proxy and model-sim at 1,000/s.
 * What must hold: the model never above capacity, interactive callers never refused, the excess
 * bulk work refused (RESOURCE_EXHAUSTED) rather than queued without bound, RSS within the limit.
 */
export const overload: Benchmark = {
  name: "overload",
  title: "Overload: 50 clients far above the model's capacity",
  description: `Model-sim at the real 1,000 items/s; the proxy (memory store, 200,000 L1 entries) with the staging overlay's ${HEAP_MIB} MB heap cap. 45 bulk clients each keep two requests of 1000 new pairs outstanding (deadline 15 s; a refused one is retried after 100 ms), 5 interactive clients each send 1 new pair every ${INTERACTIVE_EVERY_MS} ms: far more offered than the 1,000 a second served (a refused request returns at once and is offered again 100 ms later). Reported: answers and error codes by lane, the model-sim's peak items in any 1 s window, the proxy's peak RSS, the interactive latency.`,
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const scale = ctx.quick ? SCALE.quick : SCALE.full;
    const model = await ModelSimProcess.start(ctx.workDir, CAPACITY);
    ctx.defer(() => model.close());
    const proxy = await CacheProcess.start(ctx.workDir, {
      name: "cache-overload",
      model: model.address,
      store: "memory",
      l1Entries: 200_000,
      modelCapacity: CAPACITY,
      nodeArgs: [`--max-old-space-size=${HEAP_MIB}`],
    });
    ctx.defer(() => proxy.close());
    const client = new GrpcLoadClient(proxy.address);
    ctx.defer(() => client.close());
    await model.resetStats();

    const codes: Record<Lane, Map<string, number>> = { bulk: new Map(), interactive: new Map() };
    const count = (lane: Lane, code: string): void =>
      void codes[lane].set(code, (codes[lane].get(code) ?? 0) + 1);
    const latencies: number[] = [];
    const endAt = performance.now() + scale.seconds * 1000;
    let next = 0;
    const fresh = (n: number, tag: string) =>
      syntheticPairs(n, 100 + next++).map((p) => ({ company: `${p.company} ${tag}${next}`, title: p.title }));
    /** One call; resolves to its code. A refused request is retried as is (nothing was queued). */
    const call = async (lane: Lane, request: EncodedRequest): Promise<string> => {
      const t0 = performance.now();
      let code = "OK";
      try {
        await client.call(request, lane === "bulk" ? BULK_DEADLINE_MS : 60_000, {
          "x-seniority-priority": lane,
        });
        if (lane === "interactive") latencies.push(performance.now() - t0);
      } catch (error) {
        code = codeOf(error);
      }
      count(lane, code);
      return code;
    };
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, proxy.reading().rssBytes)), 250);
    ctx.log(`${scale.bulkClients + scale.interactiveClients} clients for ${scale.seconds} s`);
    const started = performance.now();
    const bulk = Array.from({ length: scale.bulkClients * BULK_OUTSTANDING }, async () => {
      let request = encodeRequest(fresh(BULK_ITEMS, "bulk"));
      while (performance.now() < endAt) {
        if ((await call("bulk", request)) === "RESOURCE_EXHAUSTED") {
          await new Promise((resolve) => setTimeout(resolve, 100));
        } else {
          request = encodeRequest(fresh(BULK_ITEMS, "bulk"));
        }
      }
    });
    const interactive = Array.from({ length: scale.interactiveClients }, async () => {
      const calls: Promise<void>[] = [];
      while (performance.now() < endAt) {
        calls.push(call("interactive", encodeRequest(fresh(1, "interactive"))).then(() => {}));
        await new Promise((resolve) => setTimeout(resolve, INTERACTIVE_EVERY_MS));
      }
      await Promise.all(calls);
    });
    try {
      await Promise.all([...bulk, ...interactive]);
    } finally {
      clearInterval(sampler);
    }
    const elapsed = (performance.now() - started) / 1000;
    const stats = await model.stats();
    peakRss = Math.max(peakRss, proxy.reading().hwmBytes);
    const refusedInteractive = [...codes.interactive]
      .filter(([c]) => c !== "OK")
      .reduce((a, [, n]) => a + n, 0);
    const p99 = percentile(latencies, 99);
    const rows = (["bulk", "interactive"] as const).flatMap((lane) =>
      [...codes[lane]].sort().map(([code, n]) => [lane, code, formatNumber(n)]),
    );
    return {
      scale: {
        seconds: scale.seconds,
        "bulk clients (2 requests of 1000 new pairs outstanding)": scale.bulkClients,
        "interactive clients (1 new pair every 200 ms)": scale.interactiveClients,
        "model capacity (items/s)": CAPACITY,
        "proxy heap cap (MB)": HEAP_MIB,
      },
      tables: [
        { title: "Answers by lane", columns: ["lane", "code", "requests"], rows },
        {
          title: "Model and proxy",
          columns: ["measure", "value"],
          rows: [
            ["elapsed (load + the last answers), s", formatSig(elapsed)],
            ["model items", formatNumber(stats.items)],
            ["model utilization (items ÷ capacity × elapsed)", formatSig(stats.items / (CAPACITY * elapsed))],
            ["peak items in any 1 s window", formatNumber(stats.peakItemsPerSecond)],
            ["duplicate inferences", formatNumber(stats.duplicateInferences)],
            ["proxy peak RSS, MB", formatSig(peakRss / MB)],
            [
              "interactive p50 / p99 / max, ms",
              `${formatSig(percentile(latencies, 50))} / ${formatSig(p99)} / ${formatSig(Math.max(...latencies))}`,
            ],
          ],
        },
      ],
      targets: [
        {
          target: "model peak ≤ capacity in every 1 s window",
          measured: `${formatNumber(stats.peakItemsPerSecond)} of ${formatNumber(CAPACITY)}/s`,
          met: stats.peakItemsPerSecond <= CAPACITY,
        },
        {
          target: "no interactive request refused or failed",
          measured: formatNumber(refusedInteractive),
          met: refusedInteractive === 0,
        },
        { target: "interactive p99 ≤ 1.2 s", measured: `${formatSig(p99)} ms`, met: p99 <= 1200 },
        {
          target: `proxy peak RSS ≤ ${MEMORY_LIMIT_MIB} MiB (staging limit)`,
          measured: `${formatSig(peakRss / MB)} MB`,
          met: peakRss <= MEMORY_LIMIT_MIB * MB,
        },
      ],
      charts: [],
      metrics: {
        model_items: stats.items,
        peak_items_per_second: stats.peakItemsPerSecond,
        proxy_peak_rss_bytes: peakRss,
        interactive_p99_ms: p99,
        interactive_refused: refusedInteractive,
        bulk_refused: codes.bulk.get("RESOURCE_EXHAUSTED") ?? 0,
      },
      notes: [
        "Bulk refusals (RESOURCE_EXHAUSTED) are the expected answer to the excess: the proxy queues what its heap holds (--max-queued derived from the heap limit) and refuses the rest at once.",
      ],
    };
  },
};

const STATUS_NAMES: Record<string, string> = {
  "4": "DEADLINE_EXCEEDED",
  "8": "RESOURCE_EXHAUSTED",
  "14": "UNAVAILABLE",
  "1": "CANCELLED",
};

/** GrpcLoadClient's "InferSeniority failed: <code> …" → the status name. */
function codeOf(error: unknown): string {
  const code = /failed: (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
  return code === undefined ? "OTHER" : (STATUS_NAMES[code] ?? `code ${code}`);
}
