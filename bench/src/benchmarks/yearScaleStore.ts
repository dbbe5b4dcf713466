import { bucketsFor, openStore, type Store } from "@seniority/seniority-cache";
import { syntheticKey, usedMemory } from "../baselines/redisBaselines.js";
import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { formatNumber, formatRatio, formatSig } from "../core/formatNumber.js";
import { interleave } from "../core/interleave.js";
import { median } from "../core/percentile.js";
import { runClosedLoop, type LoadResult } from "../core/runClosedLoop.js";
import { RedisProcess } from "../infra/RedisProcess.js";
import { measureL1Rss, WARM_PAIRS, type L1RssRow } from "./yearScaleL1Rss.js";

const SCALE = {
  full: { bigPairs: 20_000_000, smallPairs: 1_000_000, l1Entries: 5_000_000, lruEntries: 1_000_000 },
  quick: { bigPairs: 200_000, smallPairs: 20_000, l1Entries: 20_000, lruEntries: 20_000 },
};
const ROUNDS = { full: { rounds: 5, seconds: 3 }, quick: { rounds: 2, seconds: 0.5 } };
/** Pairs per setMany while filling (the store splits it into script calls, one pipeline). */
const FILL_BATCH = 50_000;
/** setMany calls in flight while filling. */
const FILL_IN_FLIGHT = 4;
/**
 * The fill keeps ~200K pairs of scripts queued in Redis: replies can be seconds apart on a loaded
 * machine, past the store's default 1 s socket timeout (meant for a proxy's small requests).
 */
const BULK_TIMEOUTS = { socketTimeoutMs: 60_000, commandTimeoutMs: 300_000 };
/** Pairs per lookup: one proxy request's worth. */
const LOOKUP_PAIRS = 1000;
/** Lookup requests prepared per namespace before measuring (random filled keys, reused in turn). */
const LOOKUP_POOL = 200;

/**
 * The year's figures for the store and the L1: a real redis-server filled to 20M pairs through the
 * store's own batch write path (bytes a pair, lookup rate at 20M vs at 1M), and the proxy's RSS
 * per L1 entry with 5M entries.
 */
export const yearScaleStore: Benchmark = {
  name: "yearScaleStore",
  title: "Year scale: Redis compact store at 20M pairs, proxy RSS per L1 entry at 5M",
  description: `A real redis-server is filled through the store's own \`setMany\` (compact layout, the bucket count derived for the big namespace's pairs (262,144 for 20M, the default), ${FILL_BATCH.toLocaleString("en-US")}-pair batches, ${FILL_IN_FLIGHT} in flight) to the year's 20M distinct pairs in one namespace and to 1M in another of the same bucket count. Bytes a pair = growth of \`INFO memory\` used_memory ÷ pairs for the 20M namespace. Store-hit lookups (\`getMany\` of ${LOOKUP_PAIRS} random stored pairs, closed loop, 4 in flight) are measured on both namespaces in interleaved rounds; the figure is the median round. Then a proxy process (\`seniority cache\`, Redis store behind it) is sent 5M distinct pairs through a model-sim, and its RSS growth (from /proc) ÷ L1 entries added is reported, with the lru-cache L1 (\`--l1 lru\`) beside it at a smaller count: from holding ${WARM_PAIRS.toLocaleString("en-US")} entries to holding them all, each reading taken after two forced full GCs in the proxy (a bench-only \`--expose-gc\` preload, gcOnSignal) once RSS stops falling.`,
  async run(ctx: BenchContext): Promise<BenchmarkReport> {
    const scale = ctx.quick ? SCALE.quick : SCALE.full;
    const rounds = ctx.quick ? ROUNDS.quick : ROUNDS.full;
    const redis = await RedisProcess.start();
    ctx.defer(() => redis.close());
    // Sized for the namespace it grows into (20M at full scale: 262,144, the default).
    const buckets = bucketsFor(scale.bigPairs);

    const admin = redis.client();
    ctx.defer(() => admin.disconnect());
    await admin.flushdb();
    const before = await usedMemory(admin);
    const { store: big } = await openStore(redis.url, { namespace: "year:big", buckets, ...BULK_TIMEOUTS });
    ctx.defer(() => big.close());
    const fillStart = performance.now();
    await fill(big, 0, scale.bigPairs, ctx.log);
    const fillSeconds = (performance.now() - fillStart) / 1000;
    const bytesPerPair = ((await usedMemory(admin)) - before) / scale.bigPairs;
    const { store: small } = await openStore(redis.url, {
      namespace: "year:small",
      buckets,
      ...BULK_TIMEOUTS,
    });
    ctx.defer(() => small.close());
    await fill(small, 0, scale.smallPairs, ctx.log);

    ctx.log(`measuring store-hit lookups: ${rounds.rounds} interleaved rounds of ${rounds.seconds} s`);
    const pools = { big: lookupPool(scale.bigPairs, 7), small: lookupPool(scale.smallPairs, 8) };
    const results = await interleave(
      [
        { name: "big", run: () => lookupRound(big, pools.big, rounds.seconds) },
        { name: "small", run: () => lookupRound(small, pools.small, rounds.seconds) },
      ],
      rounds.rounds,
    );
    const rate = (name: string): number => median(results.get(name)!.map((r) => r.itemsPerSecond));
    const [bigRate, smallRate] = [rate("big"), rate("small")];
    await Promise.all([big.close(), small.close()]);
    await admin.flushdb();

    const l1Rows: L1RssRow[] = [
      await measureL1Rss(ctx, redis, "compact", scale.l1Entries),
      await measureL1Rss(ctx, redis, "lru", scale.lruEntries),
    ];
    const compactRow = l1Rows[0]!;
    return {
      scale: {
        "Redis pairs (big namespace)": scale.bigPairs,
        "Redis pairs (small namespace)": scale.smallPairs,
        "compact buckets": buckets,
        "L1 entries (compact)": scale.l1Entries,
        "L1 entries (lru)": scale.lruEntries,
      },
      tables: [
        {
          title: `Redis compact store filled through setMany (${formatNumber(buckets)} buckets)`,
          columns: ["pairs", "fill seconds", "fill pairs/s", "bytes / pair"],
          rows: [
            [
              formatNumber(scale.bigPairs),
              formatSig(fillSeconds),
              formatNumber(scale.bigPairs / fillSeconds),
              formatSig(bytesPerPair),
            ],
          ],
        },
        {
          title: `Store-hit lookups, ${LOOKUP_PAIRS} pairs a getMany (median of ${rounds.rounds} interleaved rounds)`,
          columns: ["pairs in the namespace", "pairs/s", "round range"],
          rows: [
            [formatNumber(scale.smallPairs), formatNumber(smallRate), range(results.get("small")!)],
            [formatNumber(scale.bigPairs), formatNumber(bigRate), range(results.get("big")!)],
          ],
        },
        {
          title: "Proxy RSS per L1 entry (Redis store behind it)",
          columns: [
            "L1",
            "entries",
            `RSS at ${formatNumber(WARM_PAIRS)} MB`,
            "RSS full, before GC MB",
            "RSS full MB",
            "of it V8 heap MB",
            "external MB",
            "bytes / entry",
          ],
          rows: l1Rows.map((r) => [
            r.kind,
            formatNumber(r.entries),
            formatSig(r.idleRssBytes / 2 ** 20),
            formatSig(r.unsettledRssBytes / 2 ** 20),
            formatSig(r.fullRssBytes / 2 ** 20),
            formatSig(r.heapUsedBytes / 2 ** 20),
            formatSig(r.externalBytes / 2 ** 20),
            formatSig(r.bytesPerEntry),
          ]),
        },
      ],
      targets: [
        {
          target: `Redis ≤ 16 bytes a pair at ${formatNumber(scale.bigPairs)} pairs`,
          measured: `${formatSig(bytesPerPair)} B`,
          met: bytesPerPair <= 16,
        },
        {
          target: `store-hit lookups at ${formatNumber(scale.bigPairs)} ≥ 0.8 × at ${formatNumber(scale.smallPairs)} pairs`,
          measured: formatRatio(bigRate / smallRate),
          met: bigRate / smallRate >= 0.8,
        },
        {
          target: `proxy RSS ≤ 48 bytes per L1 entry at ${formatNumber(compactRow.entries)} entries`,
          measured: `${formatSig(compactRow.bytesPerEntry)} B`,
          met: compactRow.bytesPerEntry <= 48,
        },
      ],
      charts: [],
      metrics: {
        redis_fill_seconds: fillSeconds,
        redis_fill_pairs_per_second: scale.bigPairs / fillSeconds,
        redis_bytes_per_pair_big: bytesPerPair,
        lookup_pairs_per_second_big: bigRate,
        lookup_pairs_per_second_small: smallRate,
        lookup_ratio_big_over_small: bigRate / smallRate,
        ...Object.fromEntries(l1Rows.map((r) => [`proxy_rss_bytes_per_l1_entry_${r.kind}`, r.bytesPerEntry])),
      },
      notes: [
        "Pair keys are synthetic 16-byte keys (a 32-bit mixer over the pair's number): uniform like the MD5 pair keys, without hashing 20M strings first.",
        "Both namespaces use the bucket count the cache derives for the big namespace's pairs (`--expected-pairs`; 20M → 262,144, the default), as one deployment would while it grows from 1M to 20M pairs.",
        `RSS per L1 entry = growth of the proxy's RSS from holding ${formatNumber(WARM_PAIRS)} entries (after the first traffic's fixed costs) to holding them all, ÷ entries added, both read after two forced full GCs once RSS stops falling: it counts what the entries keep resident — the table, the bounded spelling memo (2 × 100,000 spellings), allocator pages the fill leaves behind — and not the fill traffic's uncollected garbage, which the "before GC" column shows (the figure the benchmark reported before).`,
      ],
    };
  },
};

/** Writes pairs [from, to) (level from the pair's number) through `store.setMany`. */
async function fill(store: Store, from: number, to: number, log: (m: string) => void): Promise<void> {
  let next = from;
  let logged = from;
  const worker = async (): Promise<void> => {
    while (next < to) {
      const start = next;
      const end = Math.min(to, start + FILL_BATCH);
      next = end;
      const entries = new Array<{ key: Buffer; level: number }>(end - start);
      for (let i = start; i < end; i++) entries[i - start] = { key: syntheticKey(i), level: 1 + (i % 7) };
      await store.setMany(entries);
      if (end - logged >= 2_000_000) {
        logged = end;
        log(`filled ${end} pairs`);
      }
    }
  };
  await Promise.all(Array.from({ length: FILL_IN_FLIGHT }, worker));
}

/** LOOKUP_POOL requests of LOOKUP_PAIRS random stored keys of [0, filled), with their levels. */
function lookupPool(filled: number, seed: number): { keys: Buffer[]; levels: number[] }[] {
  let state = seed;
  const random = (): number => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state;
  };
  return Array.from({ length: LOOKUP_POOL }, () => {
    const ids = Array.from({ length: LOOKUP_PAIRS }, () => Math.floor((random() / 2 ** 32) * filled));
    return { keys: ids.map(syntheticKey), levels: ids.map((i) => 1 + (i % 7)) };
  });
}

/** One closed-loop round of getMany over `pool`; every answer is checked. */
function lookupRound(
  store: Store,
  pool: readonly { keys: Buffer[]; levels: number[] }[],
  seconds: number,
): Promise<LoadResult> {
  return runClosedLoop(
    async (i) => {
      const request = pool[i % pool.length]!;
      const levels = await store.getMany(request.keys);
      for (let j = 0; j < levels.length; j++) {
        if (levels[j] !== request.levels[j]) throw new Error(`store lookup: pair ${j} answered ${levels[j]}`);
      }
      return levels.length;
    },
    { concurrency: 4, durationMs: seconds * 1000, maxOperations: 1_000_000 },
  );
}

function range(rounds: readonly LoadResult[]): string {
  const rates = rounds.map((r) => r.itemsPerSecond);
  return `${formatNumber(Math.min(...rates))}–${formatNumber(Math.max(...rates))}`;
}
