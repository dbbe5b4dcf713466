import type { Clock } from "@seniority/clock";
import { LANES, type Lane } from "@seniority/seniority-model";
import type { Logger } from "@seniority/telemetry";
import { CacheError } from "../core/CacheError.js";
import type { CacheMetrics, ClaimResult } from "../core/CacheMetrics.js";
import type { CacheWrites } from "../core/CacheWrites.js";
import type { MicroBatcher } from "../core/MicroBatcher.js";
import type { MissItem } from "../core/ModelBatchExecutor.js";
import type { MissQueue } from "../core/MissQueue.js";
import { ClaimEntry } from "./ClaimEntry.js";
import { ClaimWaiter } from "./ClaimWaiter.js";
import { HeldClaims } from "./HeldClaims.js";
import type { PeerOwners } from "./PeerOwnership.js";
import type { ClaimOutcome, ReplicaCoordination } from "./ReplicaCoordination.js";

export interface ClaimingBatcherOptions {
  batcher: MicroBatcher<MissItem, number>;
  /** Claims between replicas on one Redis. */
  coordination: ReplicaCoordination;
  /** Where answers got from another replica go (L1), and which tells when a batch is stored. */
  writes: CacheWrites;
  /** False while claims must be skipped (the store is degraded). */
  claimsUsable: () => boolean;
  /**
   * False while claims won must wait (a peer may still infer pairs it took without a claim during
   * an outage; see ReplicaPresence): they wait in the ClaimWaiter and are looked up again.
   */
  claimsTrusted?: () => boolean;
  /**
   * Peer ownership (optional): every miss another replica owns is asked of it (it infers or answers
   * from its L1), so a pair is inferred by its owner only, Redis or not.
   */
  owners?: PeerOwners;
  claimTtlMs: number;
  metrics: CacheMetrics;
  clock: Clock;
  logger?: Logger;
}

/**
 * The micro-batcher with claims in front (a decorator with the same submit): with replicas on one
 * Redis, the misses of a request are claimed in one call; pairs won go to the batcher and their
 * claims are released once the answers are stored; pairs another replica holds wait for its
 * answer (ClaimWaiter); pairs answered meanwhile are taken from the store. With Redis unreachable,
 * claims are skipped (availability over deduplication). With peer ownership, misses a peer owns
 * are asked of it first (claims stay the guard among what each owner infers): when Redis dies, the
 * pairs a replica inferred are in its own L1, and its peers keep asking it for them.
 */
export class ClaimingBatcher implements MissQueue {
  readonly counts: Record<ClaimResult, number> = { won: 0, lost: 0, skipped: 0 };
  /** Pairs asked of their owner replica while claims were unusable, since start. */
  forwardedPairs = 0;
  private readonly held: HeldClaims;
  private readonly waiter: ClaimWaiter<ClaimEntry>;
  private readonly settling = new Set<Promise<void>>();
  // guarded by: entries claiming or waiting, not yet in the batcher (counted against maxQueued)
  private readonly pending: Record<Lane, number> = { interactive: 0, bulk: 0 };
  private closed: Promise<void> | undefined;

  constructor(private readonly options: ClaimingBatcherOptions) {
    const { coordination, clock, logger } = options;
    this.held = new HeldClaims(coordination, clock, options.claimTtlMs, logger);
    this.waiter = new ClaimWaiter<ClaimEntry>({
      coordination,
      clock,
      onAnswered: (entry, level) => this.answer(entry, level),
      onWon: (entries) => this.won(entries),
      // Another replica held their claims: it is the one inferring them, so ask a peer, not the model.
      onUnreachable: (entries) => this.unclaimable(entries, true),
      ...(options.claimsTrusted ? { trusted: options.claimsTrusted } : {}),
    });
    options.writes.onSettled((items, stored) => this.settled(items, stored));
  }

  /** Pairs sent to the model without a claim whose answers are not stored yet. */
  get unclaimed(): number {
    return this.held.unclaimed;
  }

  /** Pairs waiting for another replica's answer. */
  get waiting(): number {
    return this.waiter.size;
  }

  submit(items: readonly MissItem[], lane: Lane, forwarded = false): ClaimEntry[] {
    this.options.batcher.assertRoom(items.length, lane, this.pending[lane]);
    const entries = items.map((item) => new ClaimEntry(item, lane, forwarded));
    this.pending[lane] += entries.length;
    void this.claim(this.toOwners(entries));
    return entries;
  }

  /** Idempotent: stops waiting (pairs still waiting fail UNAVAILABLE), waits for claim releases. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.reject(await this.waiter.close(), new CacheError("UNAVAILABLE", "the cache is shutting down"));
      while (this.settling.size > 0) await Promise.all(this.settling);
      await this.held.close();
    })();
    return this.closed;
  }

  /** A claim is released once its answer is stored, or when its batch failed. */
  private settled(items: readonly MissItem[], stored: Promise<boolean> | undefined): void {
    const held = this.held;
    const mine = items.filter((item) => held.has(item.hex)).map((item) => item.hex);
    if (mine.length === 0) return;
    if (!stored) return held.release(mine);
    // Not stored (buffered while Redis is unreachable): the claims expire, others wait that long.
    const done = stored.then((ok) => (ok ? held.release(mine) : held.forget(mine)));
    this.settling.add(done);
    void done.finally(() => this.settling.delete(done));
  }

  private async claim(entries: ClaimEntry[]): Promise<void> {
    const { coordination } = this.options;
    let outcomes: ClaimOutcome[] | undefined;
    if (coordination.connected && this.options.claimsUsable()) {
      try {
        outcomes = await coordination.claim(entries.map((entry) => entry.key));
      } catch (error) {
        this.options.logger?.debug({ err: error }, "claims failed; inferring without them");
      }
    }
    if (!outcomes) return this.unclaimable(entries);
    const won: ClaimEntry[] = [];
    const lost: ClaimEntry[] = [];
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
    else this.waiter.add(lost);
    this.won(won);
  }

  private won(entries: ClaimEntry[]): void {
    this.count("won", entries.length);
    this.held.add(entries.map((entry) => ({ hex: entry.item.hex, key: entry.key })));
    this.enqueue(entries);
  }

  /**
   * Asks each peer owner for its pairs (none were forwarded here); resolves to the entries this
   * replica owns. A pair whose owner cannot answer goes through `here` (claimed, or inferred).
   */
  private toOwners(
    entries: ClaimEntry[],
    heldByPeer = false,
    here: (entries: ClaimEntry[]) => void = (group) => void this.claim(group),
  ): ClaimEntry[] {
    const owners = this.options.owners;
    if (!owners) return entries;
    const mine: ClaimEntry[] = [];
    const byOwner = new Map<string, ClaimEntry[]>();
    for (const entry of entries) {
      const owner = entry.forwarded ? undefined : owners.ownerOf(entry.key, heldByPeer);
      if (owner === undefined) mine.push(entry);
      else if (byOwner.has(owner)) byOwner.get(owner)!.push(entry);
      else byOwner.set(owner, [entry]);
    }
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
            this.options.logger?.debug({ err: error, owner }, "asking the owner failed; resolving here");
            here(group);
          },
        );
    }
    return mine;
  }

  /**
   * Claims are unusable: the pairs are inferred here; those another replica held a claim on
   * (`heldByPeer`, it is inferring them) are asked of a peer first when peers are known.
   */
  private unclaimable(entries: ClaimEntry[], heldByPeer = false): void {
    if (!heldByPeer) return this.skip(entries);
    this.skip(this.toOwners(entries, true, (group) => this.skip(group)));
  }

  private skip(entries: ClaimEntry[]): void {
    this.count("skipped", entries.length);
    this.held.adopt(entries.map((entry) => ({ hex: entry.item.hex, key: entry.key })));
    this.enqueue(entries);
  }

  private reject(entries: readonly ClaimEntry[], error: CacheError): void {
    for (const entry of entries) {
      this.pending[entry.countedIn]--;
      entry.reject(error);
    }
  }

  private answer(entry: ClaimEntry, level: number): void {
    this.pending[entry.countedIn]--;
    this.options.writes.remember(entry.item.hex, level);
    entry.resolve(level);
  }

  private enqueue(entries: readonly ClaimEntry[]): void {
    if (entries.length === 0) return;
    const { batcher } = this.options;
    for (const entry of entries) this.pending[entry.countedIn]--;
    for (const lane of LANES) {
      const group = entries.filter((entry) => entry.lane === lane);
      if (group.length === 0) continue;
      try {
        const slots = batcher.enqueue(
          group.map((entry) => entry.item),
          lane,
          group,
        );
        group.forEach((entry, i) => entry.queued(slots[i]!, batcher));
      } catch (error) {
        this.held.release(group.map((entry) => entry.item.hex));
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
