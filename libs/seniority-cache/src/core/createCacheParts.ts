import { trace, type Tracer } from "@opentelemetry/api";
import { systemClock } from "@seniority/clock";
import { cacheNamespace, type NormalizationMode } from "@seniority/pair-key";
import { Registry } from "prom-client";
import { ResilientStore } from "../stores/ResilientStore.js";
import { PeerForwarder } from "../replicas/PeerForwarder.js";
import { peerOwners } from "../replicas/peerOwners.js";
import { ReplicaPresence } from "../replicas/ReplicaPresence.js";
import type { ReplicaCoordination } from "../replicas/ReplicaCoordination.js";
import { SharedModelPacer } from "../replicas/SharedModelPacer.js";
import { CacheMetrics } from "./CacheMetrics.js";
import { createL1, DEFAULT_L1_ENTRIES } from "./createL1.js";
import { createPacer, DEFAULT_PACE_MARGIN_MS } from "./createPacer.js";
import type { L1Cache } from "./L1Cache.js";
import { ClaimingBatcher } from "../replicas/ClaimingBatcher.js";
import { CacheWrites } from "./CacheWrites.js";
import { MicroBatcher } from "./MicroBatcher.js";
import type { MissQueue } from "./MissQueue.js";
import { ModelBatchExecutor, type MissItem } from "./ModelBatchExecutor.js";
import type { Pacer } from "./Pacer.js";
import { PairKeyMemo } from "./PairKeyMemo.js";
import { queueHeapBudget } from "./queueHeapBudget.js";
import type { SeniorityCacheOptions } from "./SeniorityCacheOptions.js";

/** Everything a SeniorityCache runs on, built and wired from its options (createCacheParts). */
export interface CacheParts {
  readonly namespace: string;
  readonly normalization: NormalizationMode;
  readonly metrics: CacheMetrics;
  readonly tracer: Tracer;
  readonly l1: L1Cache;
  readonly memo: PairKeyMemo;
  readonly store: ResilientStore;
  /** The one writer of L1 and the store. */
  readonly writes: CacheWrites;
  readonly coordination: ReplicaCoordination | undefined;
  readonly presence: ReplicaPresence | undefined;
  readonly forwarder: PeerForwarder | undefined;
  readonly pacer: Pacer;
  readonly executor: ModelBatchExecutor;
  readonly batcher: MicroBatcher<MissItem, number>;
  /** With replicas on one Redis: the claims in front of the batcher. */
  readonly claims: ClaimingBatcher | undefined;
  /** Where misses go: `claims` if there are any, else the batcher. */
  readonly misses: MissQueue;
}

/**
 * The wiring of the caching core, apart from its request path (SeniorityCache): L1 and the key
 * memo, the resilient store, replica coordination (presence, peer ownership, claims), the pacer,
 * and the miss path ([claims →] micro-batcher → recorded model hop → model), with the metrics bound
 * to them. Nothing is started but replica presence.
 */
export function createCacheParts(options: SeniorityCacheOptions): CacheParts {
  const normalization = options.normalization ?? "standard";
  const clock = options.clock ?? systemClock;
  const logger = options.logger;
  const log = logger ? { logger } : {};
  const metrics = options.metrics ?? new CacheMetrics(new Registry());
  const l1Entries = options.l1Entries ?? DEFAULT_L1_ENTRIES;
  const l1 = createL1(options.l1 ?? "compact", l1Entries);
  const store = new ResilientStore({
    store: options.store,
    clock,
    probeIntervalMs: options.storeProbeIntervalMs,
    maxBufferedWrites: options.maxBufferedWrites,
    onError: (operation) => metrics.storeErrors.inc({ operation }),
    onRefused: (entries) => metrics.storeRefusedWrites.inc(entries),
    onDuration: (operation, seconds) => metrics.storeDuration.observe({ operation }, seconds),
    ...log,
  });
  const claimTtlMs = options.claimTtlMs ?? 10_000;
  const coordination = options.coordination?.({
    claimTtlMs,
    ...(options.sharedPacingClock === "clock" ? { paceClock: clock } : {}),
    ...log,
  });
  // The claims are made last; presence reaches them through this cell.
  const late: { claims?: ClaimingBatcher } = {};
  const presence = coordination
    ? new ReplicaPresence({
        coordination,
        clock,
        synced: () => !store.degraded && late.claims!.unclaimed === 0,
        windowMs: 1000 + (options.paceMarginMs ?? DEFAULT_PACE_MARGIN_MS),
        ...(options.peerAddress ? { address: options.peerAddress } : {}),
        ...log,
      })
    : undefined;
  const forwarder =
    presence && options.peerAddress ? new PeerForwarder(undefined, options.peerTls) : undefined;
  const pacer = createPacer(options, coordination, clock, presence);
  const tracer = options.tracer ?? trace.getTracer("seniority-cache");
  const executor = new ModelBatchExecutor({ model: options.model, metrics, tracer, clock });
  const writes = new CacheWrites(l1, store);
  const batcher = new MicroBatcher<MissItem, number>({
    execute: writes.recording((items, context) => executor.execute(items, context)),
    maxBatch: options.maxBatch,
    maxDelayMs: options.maxDelayMs,
    maxInFlight: options.maxInFlight,
    bulkSliceMs: options.bulkSliceMs,
    maxQueued:
      options.maxQueued ??
      Math.max(
        options.maxBatch ?? 1000,
        queueHeapBudget({ l1Entries, l1: options.l1, keyMemoEntries: options.keyMemoEntries })
          .defaultMaxQueued,
      ),
    maxQueuedInteractive: options.maxQueuedInteractive,
    pacer,
    clock,
  });
  const claims = coordination
    ? (late.claims = new ClaimingBatcher({
        batcher,
        coordination,
        writes,
        claimsUsable: () => !store.degraded,
        ...(presence ? { claimsTrusted: () => presence.claimsTrusted } : {}),
        ...(forwarder && presence
          ? {
              owners: peerOwners(
                { id: coordination.replicaId, address: options.peerAddress! },
                presence,
                forwarder,
              ),
            }
          : {}),
        claimTtlMs,
        metrics,
        clock,
        ...log,
      }))
    : undefined;
  presence?.start();
  const model = options.model;
  metrics.bind({
    queued: (lane) => batcher.queuedIn(lane),
    storeDegraded: () => store.degraded,
    l1Entries: () => l1.size,
    bufferedWrites: () => store.bufferedWrites,
    circuitOpen: () => model.circuit === "Open",
    claimWaiting: () => claims?.waiting ?? 0,
    pacingLocally: () => pacer instanceof SharedModelPacer && pacer.pacingLocally,
    modelPeakItemsPerSecond: () => model.takePeakItemsPerSecond?.() ?? 0,
  });
  return {
    namespace: cacheNamespace(options.modelVersion ?? "v1", normalization, options.modelIdentity ?? "model"),
    normalization,
    metrics,
    tracer,
    l1,
    memo: new PairKeyMemo(normalization, options.keyMemoEntries ?? 100_000),
    store,
    writes,
    coordination,
    presence,
    forwarder,
    pacer,
    executor,
    batcher,
    claims,
    misses: claims ?? batcher,
  };
}
