import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { formatNumber, formatRatio, formatSig } from "../core/formatNumber.js";
import { interleave, type Variant } from "../core/interleave.js";
import { runClosedLoop } from "../core/runClosedLoop.js";
import { summarizeRounds, type MeasuredRound, type RoundSummary } from "../core/summarizeRounds.js";
import { syntheticPairs } from "../core/syntheticPairs.js";
import { startBareGrpcServer } from "../baselines/BareGrpcServer.js";
import { GrpcLoadClient, encodeRequest, type EncodedRequest } from "../baselines/GrpcLoadClient.js";
import { hmgetAll, mgetAll } from "../baselines/redisBaselines.js";
import { compactLayoutGroups, keysLayoutGroups } from "../baselines/redisLookupGroups.js";
import { CacheProcess } from "../infra/CacheProcess.js";
import { ModelSimProcess } from "../infra/ModelSimProcess.js";
import { RedisProcess } from "../infra/RedisProcess.js";

const REQUEST_PAIRS = 1000;
/**
 * L1 size of the "Redis only" proxies. The issue asks for L1 off (`--l1-entries 0`), which the
 * cache CLI does not accept yet (its minimum is 1): one entry is the nearest, and with 1000
 * distinct pairs a request it almost never hits, so every lookup goes to Redis.
 */
const L1_OFF_ENTRIES: number = 1;
/** Raised model capacity: warming must not take pairs ÷ 1000 seconds; the measured part never calls it. */
const MODEL_CAPACITY = 1_000_000;

const SCALE = {
  full: { pairs: 20_000, concurrency: 4, rounds: 3, roundSeconds: 4 },
  quick: { pairs: 3_000, concurrency: 4, rounds: 2, roundSeconds: 0.5 },
};

/**
 * 1000-pair requests that all hit, through the proxy with L1, with Redis only (L1 off) in both
 * layouts, against a bare grpc-js Map server (the transport ceiling) and ioredis pipelined
 * lookups of the same keys (no gRPC) — interleaved round by round.
 */
export const proxyHotPath: Benchmark = {
  name: "proxyHotPath",
  title: "Proxy hot path: 1000-pair requests, all hits",
  description: `1000-pair requests whose pairs are all cached, closed loop with a fixed number in flight, against: the proxy serving from L1; the proxy with L1 off serving from Redis (compact and keys layouts); a bare @grpc/grpc-js server on the same proto answering from a plain Map (the transport's ceiling); and ioredis lookups of exactly the keys the proxy wrote, one pipeline a request (no gRPC). The variants run interleaved round by round (A B C … C B A …) and each figure is the median of its rounds, so slow drifts of this shared machine fall on all alike.`,
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const scale = ctx.quick ? SCALE.quick : SCALE.full;
    const redis = await RedisProcess.start();
    ctx.defer(() => redis.close());
    const model = await ModelSimProcess.start(ctx.workDir, MODEL_CAPACITY);
    ctx.defer(() => model.close());
    const bare = await startBareGrpcServer();
    ctx.defer(() => bare.service.stop());
    const proxy = (name: string, layout: "compact" | "keys", l1Entries: number) =>
      CacheProcess.start(ctx.workDir, {
        name,
        model: model.address,
        store: redis.url,
        layout,
        l1Entries,
        modelCapacity: MODEL_CAPACITY,
      });
    const withL1 = await proxy("cache-l1", "compact", scale.pairs * 2);
    ctx.defer(() => withL1.close());
    const compact = await proxy("cache-redis-compact", "compact", L1_OFF_ENTRIES);
    ctx.defer(() => compact.close());
    const keys = await proxy("cache-redis-keys", "keys", L1_OFF_ENTRIES);
    ctx.defer(() => keys.close());

    const pairs = syntheticPairs(scale.pairs, 6);
    const requests: EncodedRequest[] = [];
    for (let i = 0; i < pairs.length; i += REQUEST_PAIRS)
      requests.push(encodeRequest(pairs.slice(i, i + REQUEST_PAIRS)));

    ctx.log(`warming ${pairs.length} pairs through every target`);
    const clients = new Map<string, GrpcLoadClient>();
    for (const [name, address] of [
      ["bare", bare.address],
      ["l1", withL1.address],
      ["compact", compact.address],
      ["keys", keys.address],
    ] as const) {
      const client = new GrpcLoadClient(address);
      ctx.defer(() => client.close());
      clients.set(name, client);
      for (const request of requests) await client.call(request);
    }
    const warmed = await model.stats();
    const rc = redis.client();
    ctx.defer(() => rc.disconnect());
    const keyGroups = await keysLayoutGroups(rc, REQUEST_PAIRS);
    const bucketGroups = await compactLayoutGroups(rc, REQUEST_PAIRS);
    if (
      keyGroups.flat().length !== pairs.length ||
      bucketGroups.reduce((n, g) => n + [...g.values()].flat().length, 0) !== pairs.length
    ) {
      throw new Error(
        `redis holds ${keyGroups.flat().length} keys-layout and some compact pairs, expected ${pairs.length} each`,
      );
    }

    const grpcVariant = (
      name: string,
      client: GrpcLoadClient,
      server: { reading(): { cpuSeconds: number } },
    ): Variant<MeasuredRound> => ({
      name,
      run: () =>
        measured(server, () =>
          runClosedLoop((i) => client.call(requests[i % requests.length]!), loadOptions(scale)),
        ),
    });
    const redisServer = { reading: () => redis.reading() };
    const variants: Variant<MeasuredRound>[] = [
      grpcVariant("bare grpc-js + Map (ceiling)", clients.get("bare")!, bare.service),
      grpcVariant("proxy, L1 hits", clients.get("l1")!, withL1),
      grpcVariant("proxy, Redis only, compact", clients.get("compact")!, compact),
      grpcVariant("proxy, Redis only, keys", clients.get("keys")!, keys),
      {
        name: "ioredis pipelined HMGET (compact keys)",
        run: () =>
          measured(redisServer, () =>
            runClosedLoop((i) => hmgetAll(rc, bucketGroups[i % bucketGroups.length]!), loadOptions(scale)),
          ),
      },
      {
        name: "ioredis MGET (keys-layout keys)",
        run: () =>
          measured(redisServer, () =>
            runClosedLoop((i) => mgetAll(rc, keyGroups[i % keyGroups.length]!), loadOptions(scale)),
          ),
      },
    ];
    ctx.log(
      `measuring ${variants.length} variants × ${scale.rounds} interleaved rounds of ${scale.roundSeconds} s`,
    );
    const rounds = await interleave(variants, scale.rounds);
    const after = await model.stats();
    if (after.items !== warmed.items) {
      throw new Error(
        `the model was called during the all-hits rounds (${after.items - warmed.items} items): not all hits`,
      );
    }
    return report(new Map([...rounds].map(([name, r]) => [name, summarizeRounds(r)])), scale);
  },
};

function loadOptions(scale: (typeof SCALE)["full"]) {
  return { concurrency: scale.concurrency, durationMs: scale.roundSeconds * 1000, maxOperations: 1_000_000 };
}

async function measured(
  server: { reading(): { cpuSeconds: number } },
  load: () => ReturnType<typeof runClosedLoop>,
): Promise<MeasuredRound> {
  const before = server.reading().cpuSeconds;
  const result = await load();
  return { ...result, serverCpuSeconds: server.reading().cpuSeconds - before };
}

function report(summaries: Map<string, RoundSummary>, scale: (typeof SCALE)["full"]): BenchmarkReport {
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
