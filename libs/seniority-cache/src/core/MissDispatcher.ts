import type { Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";
import { CacheError } from "./CacheError.js";
import type { CacheMetrics, ClaimResult } from "./CacheMetrics.js";
import { ClaimWaiter } from "../replicas/ClaimWaiter.js";
import { HeldClaims } from "../replicas/HeldClaims.js";
import { LANES, type Lane } from "@seniority/seniority-model";
import type { BatchSink, BatchSlot, BatchTicket, MicroBatcher } from "./MicroBatcher.js";
import type { MissItem } from "./ModelBatchExecutor.js";
import type { ClaimOutcome, ReplicaCoordination } from "../replicas/ReplicaCoordination.js";
import type { L1Cache } from "./L1Cache.js";

export interface MissDispatcherOptions {
  batcher: MicroBatcher<MissItem, number>;
  /** Claims between replicas on one Redis; undefined: misses go straight to the batcher. */
  coordination: ReplicaCoordination | undefined;
  /** False while claims must be skipped (the store is degraded). */
  claimsUsable: () => boolean;
  /**
   * False while claims won must wait (a peer may still infer pairs it took without a claim during
   * an outage; see ReplicaPresence): they wait in the ClaimWaiter and are looked up again.
   */
  claimsTrusted?: () => boolean;
  /**
   * While claims are unusable, pairs owned by another replica are asked of it (peer ownership):
   * `ownerOf` gives the owner's address, undefined for this replica; a failed forward infers here.
   */
  owners?: {
    /** `peersOnly`: the owner among the other replicas (for a pair another replica held a claim on). */
    ownerOf(key: Buffer, peersOnly: boolean): string | undefined;
    forward(address: string, pairs: readonly MissItem["pair"][]): Promise<number[]>;
  };
  claimTtlMs: number;
  l1: L1Cache;
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
    /** Asked by a peer that forwarded it here: never forwarded again. */
    readonly forwarded: boolean,
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
  /** Pairs asked of their owner replica while claims were unusable, since start. */
  forwardedPairs = 0;
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
      // Another replica held their claims: it is the one inferring them, so ask a peer, not the model.
      onUnreachable: (entries) => this.unclaimable(entries, true),
      ...(options.claimsTrusted ? { trusted: options.claimsTrusted } : {}),
    });
  }

  /** Pairs sent to the model without a claim whose answers are not stored yet. */
  get unclaimed(): number {
    return this.held?.unclaimed ?? 0;
  }

  /** Pairs waiting for another replica's answer. */
  get waiting(): number {
    return this.waiter?.size ?? 0;
  }

  /**
   * One flight per item, settled with its level. Throws (before anything is queued) what the
   * batcher's submit() throws: UNAVAILABLE when closing, RESOURCE_EXHAUSTED past maxQueued.
   */
  start(items: readonly MissItem[], lane: Lane, forwarded = false): BatchTicket<number>[] {
    const { batcher, coordination } = this.options;
    batcher.assertRoom(items.length, lane, this.pending[lane]);
    const entries = items.map((item) => new Entry(item, lane, batcher, forwarded));
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
    if (!outcomes) return this.unclaimable(entries);
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
    // Won, but a peer may still be inferring unclaimed pairs: wait, then look the store up again.
    if (won.length > 0 && this.options.claimsTrusted?.() === false) lost.push(...won.splice(0));
    if (this.closed) this.reject(lost, new CacheError("UNAVAILABLE", "the cache is shutting down"));
    else this.waiter!.add(lost);
    this.won(won);
  }

  private won(entries: Entry[]): void {
    this.count("won", entries.length);
    this.held!.add(entries.map((entry) => ({ hex: entry.item.hex, key: entry.key })));
    this.submit(entries);
  }

  /** Claims are unusable: pairs a peer owns are asked of it; the rest are inferred here. */
  private unclaimable(entries: Entry[], heldByPeer = false): void {
    const owners = this.options.owners;
    if (!owners) return this.skip(entries);
    const mine: Entry[] = [];
    const byOwner = new Map<string, Entry[]>();
    for (const entry of entries) {
      const owner = entry.forwarded ? undefined : owners.ownerOf(entry.key, heldByPeer);
      if (owner === undefined) mine.push(entry);
      else byOwner.set(owner, [...(byOwner.get(owner) ?? []), entry]);
    }
    this.skip(mine);
    for (const [owner, group] of byOwner) {
      this.forwardedPairs += group.length;
      owners
        .forward(
          owner,
          group.map((entry) => entry.item.pair),
        )
        .then(
          (levels) => group.forEach((entry, i) => this.answer(entry, levels[i]!)),
          (error: unknown) => {
            this.options.logger?.debug(
              { err: error, owner },
              "forwarding to the owner failed; inferring here",
            );
            this.skip(group);
          },
        );
    }
  }

  private skip(entries: Entry[]): void {
    this.count("skipped", entries.length);
    this.held?.adopt(entries.map((entry) => ({ hex: entry.item.hex, key: entry.key })));
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
