import type { Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";
import type { LRUCache } from "lru-cache";
import { CacheError } from "./CacheError.js";
import type { CacheMetrics, ClaimResult } from "./CacheMetrics.js";
import { ClaimWaiter } from "./ClaimWaiter.js";
import { HeldClaims } from "./HeldClaims.js";
import { LANES, type Lane } from "./Lane.js";
import type { BatchSink, BatchSlot, BatchTicket, MicroBatcher } from "./MicroBatcher.js";
import type { MissItem } from "./ModelBatchExecutor.js";
import type { ClaimOutcome, ReplicaCoordination } from "./store/ReplicaCoordination.js";

export interface MissDispatcherOptions {
  batcher: MicroBatcher<MissItem, number>;
  /** Claims between replicas on one Redis; undefined: misses go straight to the batcher. */
  coordination: ReplicaCoordination | undefined;
  /** False while claims must be skipped (the store is degraded). */
  claimsUsable: () => boolean;
  claimTtlMs: number;
  l1: LRUCache<string, number>;
  metrics: CacheMetrics;
  clock: Clock;
  logger?: Logger;
}

/**
 * A miss on its way: claiming, waiting for another replica, or queued for the model. It is its own
 * flight (promise + promote) and its own batcher sink, so a pair costs one promise, not three.
 */
class Entry implements BatchSink<number>, BatchTicket<number> {
  readonly promise: Promise<number>;
  readonly resolve!: (level: number) => void;
  readonly reject!: (error: unknown) => void;
  // guarded by: set once the entry is in the batcher (promote goes there from then on)
  slot: BatchSlot | undefined;
  /** The lane it is counted under while pending (its lane may change later by promote()). */
  readonly countedIn: Lane;

  constructor(
    readonly item: MissItem,
    public lane: Lane,
    private readonly batcher: MicroBatcher<MissItem, number>,
  ) {
    this.countedIn = lane;
    this.promise = new Promise<number>((resolve, reject) => {
      (this as { resolve: Entry["resolve"] }).resolve = resolve;
      (this as { reject: Entry["reject"] }).reject = reject;
    });
    this.promise.catch(() => {}); // waiters observe the rejection; nobody waiting is not an error
  }

  get key(): Buffer {
    return Buffer.from(this.item.hex, "hex");
  }

  /** An interactive caller joining: move the pair ahead, now or when it reaches the batcher. */
  promote(): void {
    this.lane = "interactive";
    if (this.slot) this.batcher.promote(this.slot);
  }
}

/**
 * Where a miss goes after the singleflight. Alone (no shared store) it goes to the batcher. With
 * replicas on one Redis, the misses of a request are first claimed in one call: pairs won go to
 * the batcher and their claims are released once the answers are stored; pairs another replica
 * holds wait for its answer (ClaimWaiter); pairs answered meanwhile are taken from the store. With
 * Redis unreachable, claims are skipped: availability over deduplication.
 */
export class MissDispatcher {
  readonly counts: Record<ClaimResult, number> = { won: 0, lost: 0, skipped: 0 };
  private readonly held: HeldClaims | undefined;
  private readonly waiter: ClaimWaiter<Entry> | undefined;
  private readonly settling = new Set<Promise<void>>();
  // guarded by: entries claiming or waiting, not yet in the batcher (counted against maxQueued)
  private readonly pending: Record<Lane, number> = { interactive: 0, bulk: 0 };
  private closed: Promise<void> | undefined;

  constructor(private readonly options: MissDispatcherOptions) {
    const { coordination, clock, logger } = options;
    if (!coordination) return;
    this.held = new HeldClaims(coordination, clock, options.claimTtlMs, logger);
    this.waiter = new ClaimWaiter<Entry>({
      coordination,
      clock,
      onAnswered: (entry, level) => this.answer(entry, level),
      onWon: (entries) => this.won(entries),
      onUnreachable: (entries) => this.skip(entries),
    });
  }

  /** Pairs waiting for another replica's answer. */
  get waiting(): number {
    return this.waiter?.size ?? 0;
  }

  /**
   * One flight per item, settled with its level. Throws (before anything is queued) what the
   * batcher's submit() throws: UNAVAILABLE when closing, RESOURCE_EXHAUSTED past maxQueued.
   */
  start(items: readonly MissItem[], lane: Lane): BatchTicket<number>[] {
    const { batcher, coordination } = this.options;
    batcher.assertRoom(items.length, lane, this.pending[lane]);
    const entries = items.map((item) => new Entry(item, lane, batcher));
    if (!coordination) {
      // Straight to the batcher, each entry its own sink: one promise a pair, not two.
      const slots = batcher.enqueue(items, lane, entries);
      for (let i = 0; i < entries.length; i++) entries[i]!.slot = slots[i]!;
      return entries;
    }
    this.pending[lane] += entries.length;
    void this.claim(coordination, entries);
    return entries;
  }

  /** The executor's hook: a claim is released once its answer is stored, or when its batch failed. */
  settled(items: readonly MissItem[], stored: Promise<boolean> | undefined): void {
    const held = this.held;
    const mine = held ? items.filter((item) => held.has(item.hex)).map((item) => item.hex) : [];
    if (!held || mine.length === 0) return;
    if (!stored) return held.release(mine);
    // Not stored (buffered while Redis is unreachable): the claims expire, others wait that long.
    const done = stored.then((ok) => (ok ? held.release(mine) : held.forget(mine)));
    this.settling.add(done);
    void done.finally(() => this.settling.delete(done));
  }

  /** Idempotent: stops waiting (pairs still waiting fail UNAVAILABLE), waits for claim releases. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      const left = (await this.waiter?.close()) ?? [];
      this.reject(left, new CacheError("UNAVAILABLE", "the cache is shutting down"));
      while (this.settling.size > 0) await Promise.all(this.settling);
      await this.held?.close();
    })();
    return this.closed;
  }

  private async claim(coordination: ReplicaCoordination, entries: Entry[]): Promise<void> {
    let outcomes: ClaimOutcome[] | undefined;
    if (coordination.connected && this.options.claimsUsable()) {
      try {
        outcomes = await coordination.claim(entries.map((entry) => entry.key));
      } catch (error) {
        this.options.logger?.debug({ err: error }, "claims failed; inferring without them");
      }
    }
    if (!outcomes) return this.skip(entries);
    const won: Entry[] = [];
    const lost: Entry[] = [];
    entries.forEach((entry, i) => {
      const outcome = outcomes[i]!;
      if (outcome === "won") won.push(entry);
      else if (outcome === "lost") lost.push(entry);
      else this.answer(entry, outcome);
    });
    // Answered meanwhile by another replica counts as lost: that replica did the inference.
    this.count("lost", entries.length - won.length);
    if (this.closed) this.reject(lost, new CacheError("UNAVAILABLE", "the cache is shutting down"));
    else this.waiter!.add(lost);
    this.won(won);
  }

  private won(entries: Entry[]): void {
    this.count("won", entries.length);
    this.held!.add(entries.map((entry) => ({ hex: entry.item.hex, key: entry.key })));
    this.submit(entries);
  }

  private skip(entries: Entry[]): void {
    this.count("skipped", entries.length);
    this.submit(entries);
  }

  private reject(entries: readonly Entry[], error: CacheError): void {
    for (const entry of entries) {
      this.pending[entry.countedIn]--;
      entry.reject(error);
    }
  }

  private answer(entry: Entry, level: number): void {
    this.pending[entry.countedIn]--;
    this.options.l1.set(entry.item.hex, level);
    entry.resolve(level);
  }

  private submit(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    for (const entry of entries) this.pending[entry.countedIn]--;
    for (const lane of LANES) {
      const group = entries.filter((entry) => entry.lane === lane);
      if (group.length === 0) continue;
      try {
        const slots = this.options.batcher.enqueue(
          group.map((entry) => entry.item),
          lane,
          group,
        );
        for (let i = 0; i < group.length; i++) group[i]!.slot = slots[i]!;
      } catch (error) {
        this.held?.release(group.map((entry) => entry.item.hex));
        for (const entry of group) entry.reject(error);
      }
    }
  }

  private count(result: ClaimResult, pairs: number): void {
    if (pairs === 0) return;
    this.counts[result] += pairs;
    this.options.metrics.claims.inc({ result }, pairs);
  }
}
