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
import { MicroBatcher } from "./MicroBatcher.js";
import { MissDispatcher } from "./MissDispatcher.js";
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
  readonly coordination: ReplicaCoordination | undefined;
  readonly presence: ReplicaPresence | undefined;
  readonly forwarder: PeerForwarder | undefined;
  readonly pacer: Pacer;
  readonly executor: ModelBatchExecutor;
  readonly batcher: MicroBatcher<MissItem, number>;
  readonly dispatcher: MissDispatcher;
}

/**
 * The wiring of the caching core, apart from its request path (SeniorityCache): L1 and the key
 * memo, the resilient store, replica coordination (presence, peer ownership, claims), the pacer,
 * and the miss path (dispatcher → micro-batcher → executor → model), with the metrics bound to
 * them. Nothing is started but replica presence.
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
  const coordination = options.store.openCoordination?.({
    claimTtlMs,
    ...(options.sharedPacingClock === "clock" ? { paceClock: clock } : {}),
    ...log,
  });
  // The dispatcher is made last; presence and the executor reach it through this cell.
  const late: { dispatcher?: MissDispatcher } = {};
  const presence = coordination
    ? new ReplicaPresence({
        coordination,
        clock,
        synced: () => !store.degraded && late.dispatcher!.unclaimed === 0,
        windowMs: 1000 + (options.paceMarginMs ?? DEFAULT_PACE_MARGIN_MS),
        ...(options.peerAddress ? { address: options.peerAddress } : {}),
        ...log,
      })
    : undefined;
  const forwarder = presence && options.peerAddress ? new PeerForwarder() : undefined;
  const pacer = createPacer(options, coordination, clock, presence);
  const tracer = options.tracer ?? trace.getTracer("seniority-cache");
  const executor = new ModelBatchExecutor({
    model: options.model,
    pacer,
    l1,
    store,
    metrics,
    tracer,
    clock,
    onSettled: (items, stored) => late.dispatcher!.settled(items, stored),
  });
  const batcher = new MicroBatcher<MissItem, number>({
    execute: (items) => executor.execute(items),
    maxBatch: options.maxBatch,
    maxDelayMs: options.maxDelayMs,
    maxInFlight: options.maxInFlight,
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
  const dispatcher = (late.dispatcher = new MissDispatcher({
    batcher,
    coordination,
    claimsUsable: () => !store.degraded,
    ...(presence ? { claimsTrusted: () => presence.claimsTrusted } : {}),
    ...(forwarder && coordination && presence
      ? {
          owners: peerOwners(
            { id: coordination.replicaId, address: options.peerAddress! },
            presence,
            forwarder,
          ),
        }
      : {}),
    claimTtlMs,
    l1,
    metrics,
    clock,
    ...log,
  }));
  presence?.start();
  const model = options.model;
  metrics.bind({
    queued: (lane) => batcher.queuedIn(lane),
    storeDegraded: () => store.degraded,
    l1Entries: () => l1.size,
    bufferedWrites: () => store.bufferedWrites,
    circuitOpen: () => model.circuit === "Open",
    claimWaiting: () => dispatcher.waiting,
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
    coordination,
    presence,
    forwarder,
    pacer,
    executor,
    batcher,
    dispatcher,
  };
}
