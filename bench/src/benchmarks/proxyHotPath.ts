import type { Benchmark, BenchContext } from "../core/Benchmark.js";
import type { BenchmarkReport } from "../core/BenchmarkResult.js";
import { interleave, type Variant } from "../core/interleave.js";
import { runClosedLoop } from "../core/runClosedLoop.js";
import { summarizeRounds, type MeasuredRound } from "../core/summarizeRounds.js";
import { syntheticPairs } from "../core/syntheticPairs.js";
import { startBareGrpcServer } from "../baselines/BareGrpcServer.js";
import { GrpcLoadClient, encodeRequest, type EncodedRequest } from "../baselines/GrpcLoadClient.js";
import { hmgetAll, mgetAll } from "../baselines/redisBaselines.js";
import { compactLayoutGroups, keysLayoutGroups } from "../baselines/redisLookupGroups.js";
import { CacheProcess } from "../infra/CacheProcess.js";
import { ModelSimProcess } from "../infra/ModelSimProcess.js";
import { RedisProcess } from "../infra/RedisProcess.js";
import {
  L1_OFF_ENTRIES,
  MODEL_CAPACITY,
  REQUEST_PAIRS,
  SCALE,
  type HotPathScale,
} from "./proxyHotPathScale.js";
import { proxyHotPathReport } from "./proxyHotPathReport.js";

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
    const proxy = (name: string, layout: "compact" | "keys", l1Entries: number, extraArgs: string[] = []) =>
      CacheProcess.start(ctx.workDir, {
        name,
        model: model.address,
        store: redis.url,
        layout,
        l1Entries,
        modelCapacity: MODEL_CAPACITY,
        extraArgs,
      });
    const withL1 = await proxy("cache-l1", "compact", scale.pairs * 2);
    ctx.defer(() => withL1.close());
    const compact = await proxy("cache-redis-compact", "compact", L1_OFF_ENTRIES);
    ctx.defer(() => compact.close());
    const keys = await proxy("cache-redis-keys", "keys", L1_OFF_ENTRIES);
    ctx.defer(() => keys.close());
    // The lru-cache L1 beside the default compact one (the compact L1's cost per hit, for comparison).
    const withLru = await proxy("cache-l1-lru", "compact", scale.pairs * 2, ["--l1", "lru"]);
    ctx.defer(() => withLru.close());

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
      ["lru", withLru.address],
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
      grpcVariant("proxy, L1 hits, lru-cache L1 (--l1 lru)", clients.get("lru")!, withLru),
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
    return proxyHotPathReport(new Map([...rounds].map(([name, r]) => [name, summarizeRounds(r)])), scale);
  },
};

function loadOptions(scale: HotPathScale) {
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
