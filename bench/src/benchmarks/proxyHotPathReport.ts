import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { formatNumber, formatRatio, formatSig } from "../core/formatNumber.js";
import type { RoundSummary } from "../core/summarizeRounds.js";
import { L1_OFF_ENTRIES, MODEL_CAPACITY, REQUEST_PAIRS, type HotPathScale } from "./proxyHotPathScale.js";

/** proxyHotPath's table, targets and notes from the interleaved rounds' summaries. */
export function proxyHotPathReport(
  summaries: Map<string, RoundSummary>,
  scale: HotPathScale,
): BenchmarkReport {
  const names = [...summaries.keys()];
  const get = (i: number) => summaries.get(names[i]!)!;
  const ceiling = get(0).itemsPerSecond;
  const ratio = (i: number) => get(i).itemsPerSecond / ceiling;
  const rows = names.map((name, i) => {
    const s = get(i);
    return [
      name,
      formatNumber(s.itemsPerSecond),
      `${formatNumber(s.minItemsPerSecond)}–${formatNumber(s.maxItemsPerSecond)}`,
      formatSig(s.p50Ms),
      formatSig(s.p99Ms),
      formatRatio(ratio(i)),
      formatSig(s.serverCpuPerMillion),
    ];
  });
  const metrics: Record<string, number> = {};
  names.forEach((name, i) => {
    const slug = name
      .replace(/[^a-z0-9]+/gi, "_")
      .replace(/_+$/, "")
      .toLowerCase();
    metrics[`${slug}_pairs_per_second`] = get(i).itemsPerSecond;
    metrics[`${slug}_p99_ms`] = get(i).p99Ms;
  });
  return {
    scale: {
      "distinct pairs (all cached)": scale.pairs,
      "pairs per request": REQUEST_PAIRS,
      "requests in flight": scale.concurrency,
      "interleaved rounds": scale.rounds,
      "seconds per round": scale.roundSeconds,
      "model-sim capacity (warm-up only)": MODEL_CAPACITY,
    },
    tables: [
      {
        title: "All-hits throughput and latency (medians of interleaved rounds)",
        columns: [
          "target",
          "pairs/s",
          "round range",
          "p50 ms",
          "p99 ms",
          "÷ bare grpc",
          "server CPU s / 1M pairs",
        ],
        rows,
      },
      {
        title: "Proxy over its own Redis lookups (gRPC + proxy overhead on top of Redis)",
        columns: ["layout", "proxy pairs/s", "ioredis pairs/s", "proxy ÷ ioredis"],
        rows: [
          [
            "compact",
            formatNumber(get(2).itemsPerSecond),
            formatNumber(get(4).itemsPerSecond),
            formatRatio(get(2).itemsPerSecond / get(4).itemsPerSecond),
          ],
          [
            "keys",
            formatNumber(get(3).itemsPerSecond),
            formatNumber(get(5).itemsPerSecond),
            formatRatio(get(3).itemsPerSecond / get(5).itemsPerSecond),
          ],
        ],
      },
    ],
    targets: [
      { target: "proxy with L1 ≥ 0.7 × bare grpc-js", measured: formatRatio(ratio(1)), met: ratio(1) >= 0.7 },
      {
        target: "proxy Redis-only (compact) ≥ 0.5 × bare grpc-js",
        measured: formatRatio(ratio(2)),
        met: ratio(2) >= 0.5,
      },
      {
        target: "proxy Redis-only (keys) ≥ 0.5 × bare grpc-js",
        measured: formatRatio(ratio(3)),
        met: ratio(3) >= 0.5,
      },
    ],
    charts: [
      {
        id: "proxy-hot-path",
        title: "Proxy hot path, all hits",
        unit: "pairs/s",
        bars: names.map((name, i) => ({
          label: name,
          value: get(i).itemsPerSecond,
          kind: i >= 1 && i <= 3 ? "system" : "baseline",
        })),
      },
    ],
    metrics,
    notes: [
      "One load generator (plain @grpc/grpc-js client, pre-encoded requests, every answer decoded and checked) drives every gRPC target; it shares the machine's cores with the server under test.",
      "The model-sim's item count is checked unchanged across the measured rounds: every request was a hit.",
      `"Redis only" proxies run with \`--l1-entries ${L1_OFF_ENTRIES}\`${L1_OFF_ENTRIES === 0 ? " (L1 off)" : " (the CLI's minimum; L1 effectively off: a request's 1000 distinct pairs never fit)"}.`,
      "Server CPU is the target process's own (proxy, bare server, or redis-server for the ioredis rows), from /proc.",
    ],
  };
}
