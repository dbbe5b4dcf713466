import { trace } from "@opentelemetry/api";
import type { Lane, ResolveOptions, SeniorityPair, SeniorityResolver } from "@seniority/seniority-model";
import type { Logger } from "@seniority/telemetry";
import { CacheError } from "./CacheError.js";
import type { CacheMetrics, LookupTier } from "./CacheMetrics.js";
import { Coalescer, type Flight } from "./Coalescer.js";
import { cacheStats } from "./cacheStats.js";
import { createCacheParts, type CacheParts } from "./createCacheParts.js";
import { groupPairs, type PairGroup } from "./groupPairs.js";
import type { ModelBackend } from "./ModelBackend.js";
import type {
  CachedLookup,
  InferOptions,
  SeniorityCacheOptions,
  SeniorityCacheStats,
} from "./SeniorityCacheOptions.js";
import { fill, waitForFlights } from "./waitForFlights.js";
import { invalidatePairs, lookupCached } from "./cachedPairs.js";

/**
 * The caching proxy's core, usable in-process (its wiring is createCacheParts): L1 (CompactL1 or LRU; see createL1) → store (one getMany per request) →
 * singleflight → micro-batcher → model; answers are written to L1 and, one setMany per model batch,
 * to the store, by one writer (CacheWrites). A store failure degrades to L1 + model; a model failure rejects only the callers
 * waiting on the failed batch, with CacheError UNAVAILABLE.
 *
 * Replicas sharing a Redis store act as one cache: a miss is claimed in Redis before it goes to the
 * model (ClaimingBatcher), the model's pace is shared (SharedModelPacer), and invalidation is
 * broadcast to every replica's L1.
 */
export class SeniorityCache implements SeniorityResolver {
  readonly namespace: string;
  readonly metrics: CacheMetrics;
  private readonly interactiveMaxItems: number;
  private readonly model: ModelBackend;
  private readonly parts: CacheParts;
  private readonly coalescer = new Coalescer<number>();
  private readonly stopListening: () => void;
  private readonly logger: Logger | undefined;
  private readonly counters = { requests: 0, items: 0, l1Hits: 0, storeHits: 0 };
  // guarded by: infer() calls begun before close(); close() lets them finish first
  private readonly active = new Set<Promise<number[]>>();
  private closing = false;
  private closed: Promise<void> | undefined;

  constructor(options: SeniorityCacheOptions) {
    const parts = (this.parts = createCacheParts(options));
    this.namespace = parts.namespace;
    this.metrics = parts.metrics;
    this.interactiveMaxItems = options.interactiveMaxItems ?? 100;
    this.logger = options.logger;
    this.model = options.model;
    this.stopListening =
      this.parts.coordination?.onInvalidation((hexKeys) => this.dropFromL1(hexKeys)) ?? (() => {});
  }

  /** The one port (SeniorityResolver): levels for `pairs`, lane chosen by the request's size. */
  resolve(pairs: readonly SeniorityPair[], options: ResolveOptions = {}): Promise<number[]> {
    return this.infer(pairs, options.signal ? { signal: options.signal } : {});
  }

  /** Levels (1..7) for `pairs`, in input order. Rejects with CacheError (see CacheErrorCode). */
  infer(pairs: readonly SeniorityPair[], options: InferOptions = {}): Promise<number[]> {
    if (this.closing) return Promise.reject(new CacheError("UNAVAILABLE", "the cache is shutting down"));
    if (options.signal?.aborted) {
      return Promise.reject(new CacheError("CANCELLED", "the caller cancelled the request"));
    }
    const call = this.answer(pairs, options);
    this.active.add(call);
    const forget = (): void => void this.active.delete(call);
    call.then(forget, forget);
    return call;
  }

  private async answer(pairs: readonly SeniorityPair[], options: InferOptions): Promise<number[]> {
    this.counters.requests++;
    this.counters.items += pairs.length;
    this.metrics.items.inc(pairs.length);
    const levels = new Array<number>(pairs.length);
    const tiers = { l1: 0, store: 0, model: 0 };
    // Fast path (the common all-hits request): an exact spelling seen before, answered by L1.
    const rest: number[] = [];
    for (let i = 0; i < pairs.length; i++) {
      const { company, title } = pairs[i]!;
      const hex = this.parts.memo.peek(company, title);
      const level = hex === undefined ? undefined : this.parts.l1.get(hex);
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
    for (const group of groupPairs(pairs, positions, this.parts.memo)) {
      const level = this.parts.l1.get(group.hex);
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
      const level = found[i] ?? this.parts.l1.get(group.hex);
      if (level !== undefined) {
        if (found[i] !== undefined) this.parts.writes.remember(group.hex, level);
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
      const tickets = this.parts.misses.submit(items, lane, options.forwarded === true);
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
  lookupCached(pairs: readonly SeniorityPair[]): Promise<CachedLookup[]> {
    return lookupCached(this.parts.memo, this.parts.l1, this.parts.store, pairs);
  }

  /**
   * Forgets pairs in L1 and the store, so the next request asks the model; with replicas on one
   * Redis, every replica is told to drop them from its L1 too. Resolves to how many were cached
   * (the larger of the L1 and store counts). CacheError UNAVAILABLE if the store or the broadcast
   * fails (calling again is safe).
   */
  invalidate(pairs: readonly SeniorityPair[]): Promise<number> {
    return invalidatePairs(
      this.parts.normalization,
      this.parts.l1,
      this.parts.store,
      this.parts.coordination,
      pairs,
    );
  }

  stats(): SeniorityCacheStats {
    return cacheStats(this.parts, this.counters, this.coalescer.coalesced);
  }

  /** True while the store is unreachable and answers come from L1 and the model only. */
  get degraded(): boolean {
    return this.parts.store.degraded;
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
        ["drain batches", () => this.parts.batcher.close()],
        ["flush store writes", () => this.parts.store.flush()],
        ["release claims", async () => this.parts.claims?.close()],
        [
          "stop coordination",
          async () => {
            this.stopListening();
            await this.parts.presence?.close();
            this.parts.forwarder?.close();
            await this.parts.coordination?.close();
          },
        ],
        ["close store", () => this.parts.store.close()],
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
    for (const hex of hexKeys) if (this.parts.l1.delete(hex)) dropped++;
    if (dropped > 0) this.metrics.invalidationsReceived.inc(dropped);
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
    return this.parts.tracer.startActiveSpan("store lookup", async (span) => {
      span.setAttributes({ "seniority.keys": keys.length, "seniority.store": this.parts.store.kind });
      try {
        return await this.parts.store.lookup(keys);
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
