import { trace, type Tracer } from "@opentelemetry/api";
import { systemClock } from "@seniority/clock";
import { cacheNamespace, pairKey, type NormalizationMode } from "@seniority/pair-key";
import type { Logger } from "@seniority/telemetry";
import { Registry } from "prom-client";
import { CacheError } from "./CacheError.js";
import { CacheMetrics, type LookupTier } from "./CacheMetrics.js";
import { Coalescer, type Flight } from "./Coalescer.js";
import { createL1, DEFAULT_L1_ENTRIES } from "./createL1.js";
import { groupPairs, type PairGroup } from "./groupPairs.js";
import type { L1Cache } from "./L1Cache.js";
import type { Lane } from "@seniority/seniority-model";
import { MicroBatcher } from "./MicroBatcher.js";
import { MissDispatcher, type MissDispatcherOptions } from "./MissDispatcher.js";
import { ModelBatchExecutor, type MissItem } from "./ModelBatchExecutor.js";
import { PairKeyMemo } from "./PairKeyMemo.js";
import type { ModelBackend } from "./ModelBackend.js";
import { ResilientStore } from "../stores/ResilientStore.js";
import type { SeniorityPair } from "@seniority/seniority-model";
import type {
  CachedLookup,
  InferOptions,
  SeniorityCacheOptions,
  SeniorityCacheStats,
} from "./SeniorityCacheOptions.js";
import { createPacer, DEFAULT_PACE_MARGIN_MS } from "./createPacer.js";
import { PeerForwarder } from "../replicas/PeerForwarder.js";
import { PeerRing } from "../replicas/PeerRing.js";
import { ReplicaPresence } from "../replicas/ReplicaPresence.js";
import { queueHeapBudget } from "./queueHeapBudget.js";
import type { Pacer } from "./Pacer.js";
import { SharedModelPacer } from "../replicas/SharedModelPacer.js";
import type { ReplicaCoordination } from "../replicas/ReplicaCoordination.js";
import { waitOrAbort } from "./waitOrAbort.js";

/**
 * The caching proxy's core, usable in-process: L1 (CompactL1 or LRU; see createL1) → store (one getMany per request) →
 * singleflight → micro-batcher → model; answers are written to L1 and, one setMany per model batch,
 * to the store. A store failure degrades to L1 + model; a model failure rejects only the callers
 * waiting on the failed batch, with CacheError UNAVAILABLE.
 *
 * Replicas sharing a Redis store act as one cache: a miss is claimed in Redis before it goes to the
 * model (MissDispatcher), the model's pace is shared (SharedModelPacer), and invalidation is
 * broadcast to every replica's L1.
 */
export class SeniorityCache {
  readonly namespace: string;
  readonly metrics: CacheMetrics;
  private readonly normalization: NormalizationMode;
  private readonly interactiveMaxItems: number;
  private readonly l1: L1Cache;
  private readonly memo: PairKeyMemo;
  private readonly store: ResilientStore;
  private readonly model: ModelBackend;
  private readonly coalescer = new Coalescer<number>();
  private readonly executor: ModelBatchExecutor;
  private readonly batcher: MicroBatcher<MissItem, number>;
  private readonly dispatcher: MissDispatcher;
  private readonly coordination: ReplicaCoordination | undefined;
  private readonly pacer: Pacer;
  private readonly presence: ReplicaPresence | undefined;
  private readonly forwarder: PeerForwarder | undefined;
  private readonly stopListening: () => void;
  private readonly logger: Logger | undefined;
  private readonly tracer: Tracer;
  private readonly counters = { requests: 0, items: 0, l1Hits: 0, storeHits: 0 };
  // guarded by: infer() calls begun before close(); close() lets them finish first
  private readonly active = new Set<Promise<number[]>>();
  private closing = false;
  private closed: Promise<void> | undefined;

  constructor(options: SeniorityCacheOptions) {
    this.normalization = options.normalization ?? "standard";
    this.namespace = cacheNamespace(
      options.modelVersion ?? "v1",
      this.normalization,
      options.modelIdentity ?? "model",
    );
    this.interactiveMaxItems = options.interactiveMaxItems ?? 100;
    const clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.tracer = options.tracer ?? trace.getTracer("seniority-cache");
    this.metrics = options.metrics ?? new CacheMetrics(new Registry());
    const l1Entries = options.l1Entries ?? DEFAULT_L1_ENTRIES;
    this.l1 = createL1(options.l1 ?? "compact", l1Entries);
    this.memo = new PairKeyMemo(this.normalization, options.keyMemoEntries ?? 100_000);
    this.model = options.model;
    this.store = new ResilientStore({
      store: options.store,
      clock,
      probeIntervalMs: options.storeProbeIntervalMs,
      maxBufferedWrites: options.maxBufferedWrites,
      onError: (operation) => this.metrics.storeErrors.inc({ operation }),
      onDuration: (operation, seconds) => this.metrics.storeDuration.observe({ operation }, seconds),
      ...(this.logger ? { logger: this.logger } : {}),
    });
    const claimTtlMs = options.claimTtlMs ?? 10_000;
    this.coordination = options.store.openCoordination?.({
      claimTtlMs,
      ...(options.sharedPacingClock === "clock" ? { paceClock: clock } : {}),
      ...(this.logger ? { logger: this.logger } : {}),
    });
    const coordination = this.coordination;
    this.presence = coordination
      ? new ReplicaPresence({
          coordination,
          clock,
          synced: () => !this.store.degraded && this.dispatcher.unclaimed === 0,
          windowMs: 1000 + (options.paceMarginMs ?? DEFAULT_PACE_MARGIN_MS),
          ...(options.peerAddress ? { address: options.peerAddress } : {}),
          ...(this.logger ? { logger: this.logger } : {}),
        })
      : undefined;
    this.forwarder = this.presence && options.peerAddress ? new PeerForwarder() : undefined;
    const pacer = (this.pacer = createPacer(options, this.coordination, clock, this.presence));
    this.executor = new ModelBatchExecutor({
      model: this.model,
      pacer,
      l1: this.l1,
      store: this.store,
      metrics: this.metrics,
      tracer: this.tracer,
      clock,
      onSettled: (items, stored) => this.dispatcher.settled(items, stored),
    });
    this.batcher = new MicroBatcher<MissItem, number>({
      execute: (items) => this.executor.execute(items),
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
    this.dispatcher = new MissDispatcher({
      batcher: this.batcher,
      coordination: this.coordination,
      claimsUsable: () => !this.store.degraded,
      ...(this.presence ? { claimsTrusted: () => this.presence!.claimsTrusted } : {}),
      ...(this.forwarder ? { owners: this.owners(this.forwarder, options.peerAddress!) } : {}),
      claimTtlMs,
      l1: this.l1,
      metrics: this.metrics,
      clock,
      ...(this.logger ? { logger: this.logger } : {}),
    });
    this.presence?.start();
    this.stopListening =
      this.coordination?.onInvalidation((hexKeys) => this.dropFromL1(hexKeys)) ?? (() => {});
    this.metrics.bind({
      queued: (lane) => this.batcher.queuedIn(lane),
      storeDegraded: () => this.store.degraded,
      l1Entries: () => this.l1.size,
      bufferedWrites: () => this.store.bufferedWrites,
      circuitOpen: () => this.model.circuit === "Open",
      claimWaiting: () => this.dispatcher.waiting,
      pacingLocally: () => this.pacer instanceof SharedModelPacer && this.pacer.pacingLocally,
      modelPeakItemsPerSecond: () => this.model.takePeakItemsPerSecond?.() ?? 0,
    });
  }

  /** Levels (1..7) for `pairs`, in input order. Rejects with CacheError (see CacheErrorCode). */
  infer(pairs: readonly SeniorityPair[], options: InferOptions = {}): Promise<number[]> {
    if (this.closing) return Promise.reject(new CacheError("UNAVAILABLE", "the cache is shutting down"));
    if (options.signal?.aborted) {
      return Promise.reject(new CacheError("CANCELLED", "the caller cancelled the request"));
    }
    const call = this.resolve(pairs, options);
    this.active.add(call);
    const forget = (): void => void this.active.delete(call);
    call.then(forget, forget);
    return call;
  }

  private async resolve(pairs: readonly SeniorityPair[], options: InferOptions): Promise<number[]> {
    this.counters.requests++;
    this.counters.items += pairs.length;
    this.metrics.items.inc(pairs.length);
    const levels = new Array<number>(pairs.length);
    const tiers = { l1: 0, store: 0, model: 0 };
    // Fast path (the common all-hits request): an exact spelling seen before, answered by L1.
    const rest: number[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const { company, title } = pairs[i]!;
      const hex = this.memo.peek(company, title);
      const level = hex === undefined ? undefined : this.l1.get(hex);
      if (level === undefined) rest.push(i);
      else {
        levels[i] = level;
        tiers.l1++;
      }
    }
    if (rest.length > 0) await this.resolveRest(pairs, rest, levels, tiers, options);
    else this.countTiers(tiers);
    return levels;
  }

  /** The items at `positions` (not in L1 by spelling): grouped by key, then L1, store, model. */
  private async resolveRest(
    pairs: readonly SeniorityPair[],
    positions: readonly number[],
    levels: number[],
    tiers: Record<LookupTier, number>,
    options: InferOptions,
  ): Promise<void> {
    const lane = options.priority ?? (pairs.length <= this.interactiveMaxItems ? "interactive" : "bulk");
    // Only positions are kept while waiting: the group (and its key Buffer) can go.
    const waiting: { indices: readonly number[]; flight: Flight<number> }[] = [];
    const lookup: PairGroup[] = [];
    for (const group of groupPairs(pairs, positions, this.memo)) {
      const level = this.l1.get(group.hex);
      if (level !== undefined) {
        fill(levels, group.indices, level);
        tiers.l1++;
        continue;
      }
      const flight = this.join(group.hex, lane);
      if (flight) waiting.push({ indices: group.indices, flight });
      else lookup.push(group);
    }
    const found = await this.lookupStore(lookup.map((group) => group.key));
    const misses: PairGroup[] = [];
    lookup.forEach((group, i) => {
      // Checked again: a flight may have finished (L1) or started while the store was read.
      const level = found[i] ?? this.l1.get(group.hex);
      if (level !== undefined) {
        if (found[i] !== undefined) this.l1.set(group.hex, level);
        fill(levels, group.indices, level);
        tiers[found[i] !== undefined ? "store" : "l1"]++;
        return;
      }
      const flight = this.join(group.hex, lane);
      if (flight) waiting.push({ indices: group.indices, flight });
      else misses.push(group);
    });
    if (misses.length > 0) {
      const parent = trace.getActiveSpan()?.spanContext();
      const items = misses.map(({ hex, pair }) => ({ hex, pair, parent }));
      const tickets = this.dispatcher.start(items, lane, options.forwarded === true);
      misses.forEach((group, i) =>
        waiting.push({ indices: group.indices, flight: this.coalescer.start(group.hex, tickets[i]!) }),
      );
    }
    tiers.model = waiting.length;
    this.countTiers(tiers);
    // Returned, not awaited: this frame (the groups, their key Buffers) is freed while we wait.
    return waiting.length > 0 ? waitForFlights(waiting, levels, options.signal) : undefined;
  }

  /** Cached answers only (L1, then one store read); never calls the model. */
  async lookupCached(pairs: readonly SeniorityPair[]): Promise<CachedLookup[]> {
    const keys = pairs.map((pair) => this.memo.keyOf(pair.company, pair.title).key);
    const results: CachedLookup[] = keys.map((key) => {
      const level = this.l1.peek(key.toString("hex"));
      return { level, tier: level === undefined ? undefined : "l1" };
    });
    const missing = results.flatMap((result, i) => (result.level === undefined ? [i] : []));
    const found = await this.store.lookup(missing.map((i) => keys[i]!));
    missing.forEach((i, j) => {
      if (found[j] !== undefined) results[i] = { level: found[j], tier: "store" };
    });
    return results;
  }

  /**
   * Forgets pairs in L1 and the store, so the next request asks the model; with replicas on one
   * Redis, every replica is told to drop them from its L1 too. Resolves to how many were cached
   * (the larger of the L1 and store counts). CacheError UNAVAILABLE if the store or the broadcast
   * fails (calling again is safe).
   */
  async invalidate(pairs: readonly SeniorityPair[]): Promise<number> {
    const keys = new Map<string, Buffer>();
    for (const pair of pairs) {
      const key = pairKey(pair.company, pair.title, this.normalization);
      keys.set(key.toString("hex"), key);
    }
    let fromL1 = 0;
    for (const hex of keys.keys()) if (this.l1.delete(hex)) fromL1++;
    const fromStore = await this.store.remove([...keys.values()]);
    try {
      await this.coordination?.publishInvalidation([...keys.values()]);
    } catch (error) {
      throw new CacheError(
        "UNAVAILABLE",
        "the pairs were removed from the store, but other replicas could not be told; try again",
        { cause: error },
      );
    }
    return Math.max(fromL1, fromStore);
  }

  stats(): SeniorityCacheStats {
    return {
      namespace: this.namespace,
      ...this.counters,
      modelItems: this.executor.items,
      modelBatches: this.executor.batches,
      coalesced: this.coalescer.coalesced,
      l1Entries: this.l1.size,
      queued: { interactive: this.batcher.queuedIn("interactive"), bulk: this.batcher.queuedIn("bulk") },
      inFlightBatches: this.batcher.inFlightBatches,
      storeKind: this.store.kind,
      storeDegraded: this.store.degraded,
      bufferedWrites: this.store.bufferedWrites,
      claims: { ...this.dispatcher.counts },
      forwardedToPeers: this.dispatcher.forwardedPairs,
      waitingOnReplicas: this.dispatcher.waiting,
    };
  }

  /** True while the store is unreachable and answers come from L1 and the model only. */
  get degraded(): boolean {
    return this.store.degraded;
  }

  /**
   * Idempotent: refuses new calls, lets calls already begun finish (their batches go out as usual),
   * sends anything else queued, flushes store writes, closes the store and the model client.
   */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      for (const [step, run] of [
        ["finish calls", () => Promise.allSettled(this.active)],
        ["drain batches", () => this.batcher.close()],
        ["flush store writes", () => this.store.flush()],
        ["release claims", () => this.dispatcher.close()],
        [
          "stop coordination",
          async () => {
            this.stopListening();
            await this.presence?.close();
            this.forwarder?.close();
            await this.coordination?.close();
          },
        ],
        ["close store", () => this.store.close()],
        ["close model client", () => this.model.close()],
      ] as const) {
        try {
          await run();
        } catch (error) {
          this.logger?.error({ err: error, step }, "cache close step failed");
        }
      }
    })();
    return this.closed;
  }

  /** An invalidation broadcast (from any replica, this one included). */
  private dropFromL1(hexKeys: readonly string[]): void {
    let dropped = 0;
    for (const hex of hexKeys) if (this.l1.delete(hex)) dropped++;
    if (dropped > 0) this.metrics.invalidationsReceived.inc(dropped);
  }

  /** Peer ownership over the replicas presence knows with an address; the ring is rebuilt when they change. */
  private owners(forwarder: PeerForwarder, address: string): NonNullable<MissDispatcherOptions["owners"]> {
    const self = { id: this.coordination!.replicaId, address };
    let ring = new PeerRing([self]);
    let seen: readonly unknown[] | undefined;
    return {
      ownerOf: (key) => {
        const known = this.presence!.known;
        if (known !== seen) {
          seen = known;
          const peers = known.flatMap((peer) =>
            peer.address ? [{ id: peer.id, address: peer.address }] : [],
          );
          ring = new PeerRing([self, ...peers]);
        }
        const owner = ring.ownerOf(key)!;
        return owner.id === self.id ? undefined : owner.address;
      },
      forward: (owner, pairs) => forwarder.forward(owner, pairs),
    };
  }

  /** Joins the flight for `hex`, promoting it when an interactive caller joins bulk work. */
  private join(hex: string, lane: Lane): Flight<number> | undefined {
    const flight = this.coalescer.join(hex);
    if (!flight) return undefined;
    this.metrics.coalesced.inc();
    if (lane === "interactive") flight.promote?.();
    return flight;
  }

  private async lookupStore(keys: readonly Buffer[]): Promise<(number | undefined)[]> {
    if (keys.length === 0) return [];
    return this.tracer.startActiveSpan("store lookup", async (span) => {
      span.setAttributes({ "seniority.keys": keys.length, "seniority.store": this.store.kind });
      try {
        return await this.store.lookup(keys);
      } finally {
        span.end();
      }
    });
  }

  private countTiers(tiers: Record<LookupTier, number>): void {
    this.counters.l1Hits += tiers.l1;
    this.counters.storeHits += tiers.store;
    for (const tier of ["l1", "store", "model"] as const) {
      if (tiers[tier] > 0) this.metrics.lookups.inc({ tier }, tiers[tier]);
    }
  }
}

async function waitForFlights(
  waiting: readonly { indices: readonly number[]; flight: Flight<number> }[],
  levels: number[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const answers = await waitOrAbort(Promise.all(waiting.map((w) => w.flight.promise)), signal);
  waiting.forEach(({ indices }, i) => fill(levels, indices, answers[i]!));
}

function fill(levels: number[], indices: readonly number[], level: number): void {
  for (const index of indices) levels[index] = level;
}
