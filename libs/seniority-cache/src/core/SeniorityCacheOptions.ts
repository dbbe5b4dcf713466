import type { Clock } from "@seniority/clock";
import type { ModelIdentity, NormalizationMode } from "@seniority/pair-key";
import type { Logger } from "@seniority/telemetry";
import type { Tracer } from "@opentelemetry/api";
import type { CacheMetrics } from "./CacheMetrics.js";
import type { L1Kind } from "./L1Cache.js";
import type { Lane } from "@seniority/seniority-model";
import type { ModelBackend } from "./ModelBackend.js";
import type { CoordinationFactory } from "../replicas/ReplicaCoordination.js";
import type { Store } from "../stores/Store.js";
import type { ClientTlsOptions } from "@seniority/proto";

/** Tuning shared by the constructor and openSeniorityCache (every field optional, defaults noted). */
export interface SeniorityCacheTuning {
  /** Key normalization (default "standard"); must match the store's namespace. */
  normalization?: NormalizationMode;
  /** Model version (default "v1"); with `normalization` and `modelIdentity` it names the namespace. */
  modelVersion?: string;
  /**
   * Who answers misses (default "model"): "sim" when `model` is a simulator, so its made-up levels
   * get a namespace of their own and are never read as the real model's.
   */
  modelIdentity?: ModelIdentity;
  /** L1 capacity, entries (default 1,000,000). */
  l1Entries?: number;
  /** L1 implementation (default "compact": 16 bytes an entry; "lru": lru-cache, ~300). */
  l1?: L1Kind;
  /**
   * Exact spellings whose pair key is remembered, so a repeat skips normalization and hashing
   * (default 100,000 per generation, at most twice that held; 0: off). See PairKeyMemo.
   */
  keyMemoEntries?: number;
  /** Items per model batch (default 1000). */
  maxBatch?: number;
  /** Longest wait for a batch to fill, ms (default 5). */
  maxDelayMs?: number;
  /** Model batches in flight at once (default 2). */
  maxInFlight?: number;
  /**
   * While interactive requests come, a bulk batch holds at most this many ms of the model's work at
   * modelCapacity (default DEFAULT_BULK_SLICE_MS = 500): an interactive miss waits behind no more.
   */
  bulkSliceMs?: number;
  /** Items per second the model is sent, at most (default 1000). */
  modelCapacity?: number;
  /** Slack added to the pacer's 1-second window, ms (default DEFAULT_PACE_MARGIN_MS = 10). */
  paceMarginMs?: number;
  /**
   * With shared pacing, the longest a batch may count as unanswered in the shared window, ms
   * (default: the model client's attempt timeout, else 10,000): a replica that dies with a batch in
   * flight holds its place there this long.
   */
  pendingSendMs?: number;
  /**
   * How long before the model is expected to finish the previous batch the next may leave, ms
   * (default 25; see ModelPacer), so the model is never idle while a batch is on its way.
   */
  paceLeadMs?: number;
  /**
   * Bulk items waiting for the model before new bulk work is refused (default: what the heap
   * limit holds beside a full L1, queueHeapBudget(), at least maxBatch).
   */
  maxQueued?: number;
  /** Interactive items waiting, a bound of their own (default: a tenth of maxQueued, at least maxBatch). */
  maxQueuedInteractive?: number;
  /** Requests with at most this many items use the interactive lane (default 100). */
  interactiveMaxItems?: number;
  /** Probe interval of an unreachable store, ms (default 1,000). */
  storeProbeIntervalMs?: number;
  /** Writes buffered while the store is unreachable, entries (default 100,000). */
  maxBufferedWrites?: number;
  /**
   * Replicas on one Redis: a claim on a pair being inferred expires this long after its replica
   * stopped refreshing it (died, lost Redis), ms (default 10,000; refreshed every third of it).
   */
  claimTtlMs?: number;
  /** Replicas on one Redis: pace the model together, in Redis (default true). */
  sharedPacing?: boolean;
  /**
   * Replicas expected to share the model (default 1). While shared pacing is unreachable each
   * replica paces itself at modelCapacity / replicasHint.
   */
  replicasHint?: number;
  /**
   * With Redis: the gRPC address (host:port) other replicas reach this one at. Set, replicas own
   * pairs by rendezvous hashing while claims are unusable (Redis down): a miss owned by a peer is
   * asked of it over the model's contract, so an outage does not make every replica infer it.
   */
  peerAddress?: string;
  /**
   * How this replica dials its peers (with peerAddress): their CA, and its client certificate where
   * they serve mTLS (default plaintext).
   */
  peerTls?: ClientTlsOptions;
  /**
   * The time shared pacing runs on: "redis" (default: the Redis server's TIME, the only clock all
   * replicas share) or "clock" (this cache's `clock`; for tests whose replicas share a ManualClock).
   */
  sharedPacingClock?: "redis" | "clock";
  clock?: Clock;
  logger?: Logger;
  /** Default: metrics on a private registry. */
  metrics?: CacheMetrics;
  /** Default: the global tracer provider's "seniority-cache" tracer. */
  tracer?: Tracer;
}

export interface SeniorityCacheOptions extends SeniorityCacheTuning {
  /** Opened on the namespace cacheNamespace(modelVersion, normalization, modelIdentity); closed by close(). */
  store: Store;
  /**
   * Replicas sharing the store act as one cache through it (claims, shared pacing, invalidation
   * broadcast): openStore's `coordination` for Redis. Default none: this cache acts alone. What it
   * opens is closed by close().
   */
  coordination?: CoordinationFactory;
  /** Closed by close(). */
  model: ModelBackend;
}

export interface InferOptions {
  /** Stops this caller's wait (its pairs still get inferred and cached). */
  signal?: AbortSignal;
  /** Default: "interactive" for requests of at most interactiveMaxItems items, else "bulk". */
  priority?: Lane;
  /** Forwarded by a peer replica that takes this one as the pairs' owner: never forwarded again. */
  forwarded?: boolean;
}

/** A cached answer, or none (level and tier undefined). */
export interface CachedLookup {
  level: number | undefined;
  tier: "l1" | "store" | undefined;
}

/** Counters since start, and the state now. */
export interface SeniorityCacheStats {
  namespace: string;
  requests: number;
  items: number;
  l1Hits: number;
  storeHits: number;
  /** Items sent to the model (in batches that were answered). */
  modelItems: number;
  modelBatches: number;
  coalesced: number;
  l1Entries: number;
  queued: Record<Lane, number>;
  inFlightBatches: number;
  storeKind: string;
  storeDegraded: boolean;
  bufferedWrites: number;
  /** Entries the store refused because it was full (Redis at maxmemory, noeviction), since start. */
  refusedWrites: number;
  /** Replicas on one Redis: claim outcomes per pair since start (all 0 without Redis). */
  claims: { won: number; lost: number; skipped: number };
  /** Pairs asked of their owner replica while claims were unusable (peerAddress set). */
  forwardedToPeers: number;
  /** Pairs waiting now for another replica's answer. */
  waitingOnReplicas: number;
}
