import { pairKey } from "@seniority/pair-key";
import { DEFAULT_BUCKETS } from "@seniority/seniority-cache";
import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport, ResultTable } from "../core/BenchmarkResult.js";
import { formatNumber, formatSig } from "../core/formatNumber.js";
import { syntheticPairs } from "../core/syntheticPairs.js";
import { RedisProcess } from "../infra/RedisProcess.js";
import { EVICTION_NAMESPACE, runEviction, type EvictionScenario } from "./evictionRounds.js";
import { storeBytesPerPair } from "./memoryRedis.js";

/** Pairs a compact bucket holds at the design's 20M pairs with the default bucket count (~76). */
const DESIGN_FIELDS_PER_BUCKET = 20_000_000 / DEFAULT_BUCKETS;
const DESIGN_PAIRS = 20_000_000;
const TTL_SECONDS = 30 * 24 * 3600;

const SCALE = {
  full: {
    memoryPairs: 1_000_000,
    keys: { maxmemory: "8mb", pairs: 160_000 },
    compact: { maxmemory: "4mb", pairs: 400_000 },
  },
  quick: {
    memoryPairs: 50_000,
    keys: { maxmemory: "2mb", pairs: 20_000 },
    compact: { maxmemory: "2mb", pairs: 80_000 },
  },
};

/** Redis memory of each layout with and without a TTL; what eviction under each policy costs. */
export const eviction: Benchmark = {
  name: "eviction",
  title: "Eviction: Redis memory per layout, and what each maxmemory-policy does to the cache",
  description: `First the memory a pair costs in each layout: the growth of \`INFO memory\` used_memory after writing the pairs through the store's own \`setMany\` into an emptied redis-server (keys layout with and without a TTL: a TTL adds an entry in Redis' expires table). Then a redis-server limited by \`maxmemory\` under a \`maxmemory-policy\` is filled past its limit through the caching core (SeniorityCache, in-process, a counting model with a deterministic level per pair, 1,000 pairs a request); eviction is then paused (\`maxmemory 0\`), the pairs Redis kept are counted, and every pair is asked again through a fresh cache (empty L1): the model is asked exactly the pairs Redis lost, and every answer of both passes is checked against the model's level.`,
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const scale = ctx.quick ? SCALE.quick : SCALE.full;
    const memoryRows = await measureMemory(ctx, scale.memoryPairs);

    const compactBuckets = Math.max(1, Math.round(scale.compact.pairs / DESIGN_FIELDS_PER_BUCKET));
    const scenarios: { scenario: EvictionScenario; maxmemory: string; pairs: number }[] = [
      {
        scenario: { label: "keys, allkeys-lru", policy: "allkeys-lru", store: { layout: "keys" } },
        ...scale.keys,
      },
      {
        scenario: {
          label: "keys + TTL 30d, volatile-lfu",
          policy: "volatile-lfu",
          store: { layout: "keys", ttlSeconds: TTL_SECONDS },
        },
        ...scale.keys,
      },
      {
        scenario: {
          label: `compact (${formatNumber(compactBuckets)} buckets), allkeys-lru`,
          policy: "allkeys-lru",
          store: { buckets: compactBuckets },
        },
        ...scale.compact,
      },
      {
        scenario: { label: "keys, noeviction", policy: "noeviction", store: { layout: "keys" } },
        ...scale.keys,
      },
    ];
    const evictionRows: (string | number)[][] = [];
    const metrics: Record<string, number> = {};
    let wrong = 0;
    let exact = true;
    for (const { scenario, maxmemory, pairs } of scenarios) {
      ctx.log(`${scenario.label}: ${formatNumber(pairs)} pairs into maxmemory ${maxmemory}`);
      const o = await runEviction(scenario, maxmemory, syntheticPairs(pairs, 7));
      wrong += o.wrong;
      exact &&= o.reinferred === o.pairs - o.kept;
      evictionRows.push([
        scenario.label,
        maxmemory,
        formatNumber(o.pairs),
        formatNumber(o.evictedKeys),
        formatNumber(o.kept),
        formatNumber(o.reinferred),
        o.wrong,
        formatNumber(o.refusedWrites),
        formatSig(o.fillSeconds),
      ]);
      metrics[`${scenario.policy}_${scenario.store.layout ?? "compact"}_kept_pairs`] = o.kept;
    }
    for (const row of memoryRows) metrics[`bytes_per_pair_${row.id}`] = row.bytesPerPair;
    const tables: ResultTable[] = [
      {
        title: `Redis used_memory growth per pair at ${formatNumber(scale.memoryPairs)} pairs`,
        columns: ["layout", "bytes / pair", `GB for ${formatNumber(DESIGN_PAIRS)} pairs`],
        rows: memoryRows.map((r) => [
          r.label,
          formatSig(r.bytesPerPair),
          formatSig((r.bytesPerPair * DESIGN_PAIRS) / 2 ** 30),
        ]),
      },
      {
        title: "Filled past maxmemory, then every pair asked again (eviction paused)",
        columns: [
          "layout, policy",
          "maxmemory",
          "pairs asked",
          "evicted keys",
          "pairs kept",
          "re-inferred",
          "wrong",
          "writes refused",
          "fill s",
        ],
        rows: evictionRows,
      },
    ];
    return {
      scale: {
        "memory pairs": scale.memoryPairs,
        "keys layout pairs": `${formatNumber(scale.keys.pairs)} into ${scale.keys.maxmemory}`,
        "compact layout pairs": `${formatNumber(scale.compact.pairs)} into ${scale.compact.maxmemory}`,
      },
      tables,
      targets: [
        {
          target: "no wrong answer under eviction (every answer checked)",
          measured: `${wrong} wrong`,
          met: wrong === 0,
        },
        {
          target: "re-asked, the model gets exactly the pairs Redis lost",
          measured: exact ? "exact in every scenario" : "differs",
          met: exact,
        },
      ],
      charts: [],
      metrics,
      notes: [
        "Evicted keys include claims (short-lived keys with an expiry, one per pair being inferred): under volatile-* they are the only evictable keys when pairs have no TTL.",
        "noeviction: past maxmemory Redis refuses every write; the cache counts them (refusedWrites, store errors `set`) and keeps reading the pairs Redis holds.",
      ],
    };
  },
};

interface MemoryRow {
  id: string;
  label: string;
  bytesPerPair: number;
}

async function measureMemory(ctx: BenchContext, count: number): Promise<MemoryRow[]> {
  const redis = await RedisProcess.start();
  ctx.defer(() => redis.close());
  const client = redis.client();
  try {
    const keys = syntheticPairs(count, 4).map((p) => pairKey(p.company, p.title, "standard"));
    const designBuckets = Math.max(1, Math.round(count / DESIGN_FIELDS_PER_BUCKET));
    const layouts = [
      {
        id: "compact",
        label: `compact, ${formatNumber(designBuckets)} buckets (~76 pairs a bucket)`,
        layout: "compact" as const,
        buckets: designBuckets,
      },
      { id: "keys", label: "keys, no TTL", layout: "keys" as const, buckets: undefined },
      {
        id: "keys_ttl",
        label: "keys, TTL (--ttl)",
        layout: "keys" as const,
        buckets: undefined,
        ttl: TTL_SECONDS,
      },
    ];
    const rows: MemoryRow[] = [];
    for (const { id, label, layout, buckets, ttl } of layouts) {
      ctx.log(`memory: ${label}`);
      rows.push({
        id,
        label,
        bytesPerPair: await storeBytesPerPair(
          client,
          redis.url,
          EVICTION_NAMESPACE,
          layout,
          buckets,
          keys,
          ttl,
        ),
      });
    }
    return rows;
  } finally {
    client.disconnect();
  }
}
