import type { Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";
import { ModelPacer } from "../core/ModelPacer.js";
import type { Pacer } from "../core/Pacer.js";
import type { ReplicaPresence } from "./ReplicaPresence.js";
import type { PaceReserve, ReplicaCoordination } from "./ReplicaCoordination.js";
import { SendLog } from "./SendLog.js";

export interface SharedModelPacerOptions {
  /** The model's capacity, items per second, shared by every replica (>= 1). */
  itemsPerSecond: number;
  /** Where every replica's sends are counted (Redis). */
  coordination: Pick<ReplicaCoordination, "replicaId" | "connected" | "pace" | "paceAnswered">;
  /**
   * Replicas expected to share the model (default 1). While the shared check is unreachable each
   * replica paces itself at itemsPerSecond / max(replicasHint, replicas known from presence), so
   * together they stay within capacity.
   */
  replicasHint?: number;
  /**
   * The peers seen on Redis (optional): how many replicas share the model, which are stale (their
   * local share is kept free in the shared window), and the heartbeat that folds this replica's
   * local sends into the shared window when Redis is back.
   */
  presence?: Pick<
    ReplicaPresence,
    "replicas" | "stalePeers" | "freshForPeersMs" | "staleMs" | "beat" | "foldFrom"
  >;
  /** Slack added to the 1-second window, ms (default 25; see ModelPacer). */
  marginMs?: number;
  /** How long before the model is expected to be free a batch may leave, ms (default 0; see ModelPacer). */
  leadMs?: number;
  /** The longest a send may stay unanswered, ms (the model call's attempt timeout; default 10,000). */
  pendingSendMs?: number;
  clock: Clock;
  logger?: Logger;
  /** Called with true when pacing falls back to local, false when the shared check is back. */
  onFallback?: (local: boolean) => void;
}

/**
 * The model's pace shared by all replicas on one Redis: a batch leaves when this replica's own
 * ModelPacer allows it and the shared limiter in Redis (paceScript: the same two rules over every
 * replica's sends) records it; its answer tells the shared window when it reached the model at the
 * latest (until then it counts as arriving now: the model counts arrivals, not sends). Without
 * Redis, the replica paces itself at capacity / replicas (the larger of replicasHint and the peers
 * presence knows), once its peers must see it as stale (they keep its share free) and the shared
 * sends it cannot see have left the window. When Redis is back, its sends made alone go into the
 * shared window first (one presence heartbeat), so the shared limit counts them.
 */
export class SharedModelPacer implements Pacer {
  private readonly full: ModelPacer;
  private readonly capacity: number;
  private readonly hint: number;
  private readonly marginMs: number;
  private readonly windowMs: number;
  private readonly leadMs: number;
  private readonly coordination: SharedModelPacerOptions["coordination"];
  private readonly presence: SharedModelPacerOptions["presence"];
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly onFallback: (local: boolean) => void;
  // guarded by: this replica's sends the shared window may still count
  private readonly log: SendLog;
  private sendSeq = 0;
  private fallback: ModelPacer;
  private fallbackReplicas: number;
  private rejoining: Promise<boolean> | undefined;
  private local = false;
  // guarded by: when this replica last began pacing alone (its first failed shared contact)
  private lostAt = Number.NEGATIVE_INFINITY;

  constructor(options: SharedModelPacerOptions) {
    const hint = options.replicasHint ?? 1;
    if (!Number.isInteger(hint) || hint < 1)
      throw new Error(`replicasHint must be an integer >= 1, got ${hint}`);
    this.hint = hint;
    this.marginMs = options.marginMs ?? 25;
    this.capacity = options.itemsPerSecond;
    this.windowMs = 1000 + this.marginMs;
    this.leadMs = options.leadMs ?? 0;
    const { windowMs, capacity } = this;
    this.log = new SendLog({ windowMs, capacity, pendingMs: options.pendingSendMs });
    this.clock = options.clock;
    this.full = new ModelPacer({
      itemsPerSecond: this.capacity,
      clock: this.clock,
      marginMs: this.marginMs,
      leadMs: this.leadMs,
    });
    this.fallbackReplicas = hint;
    this.fallback = this.localPacer(hint);
    this.coordination = options.coordination;
    this.presence = options.presence;
    this.logger = options.logger;
    this.onFallback = options.onFallback ?? (() => {});
    this.presence?.foldFrom(() => this.log.unfolded(this.clock.now()));
  }

  get maxItemsPerSend(): number {
    if (!this.coordination.connected || this.local) return this.localShare();
    const stale = this.presence?.stalePeers ?? 0;
    return Math.max(1, this.full.maxItemsPerSend - stale * this.localShare());
  }

  /** True while pacing locally because the shared limiter is unreachable. */
  get pacingLocally(): boolean {
    return this.local;
  }

  reserve(items: number, retry = false): number | Promise<number> {
    if (!this.coordination.connected) return this.reserveLocally(items, retry);
    if (this.local && this.presence) {
      return this.rejoin().then((ok) =>
        ok ? this.reserveShared(items, retry) : this.reserveLocally(items, retry),
      );
    }
    return this.reserveShared(items, retry);
  }

  async take(items: number, signal?: AbortSignal): Promise<void> {
    // A retried batch cannot be made smaller: alone, it may leave once this replica's window is empty.
    for (let wait = await this.reserve(items, true); wait > 0; wait = await this.reserve(items, true)) {
      await this.clock.sleep(wait, signal);
    }
  }

  private reserveShared(items: number, retry: boolean): number | Promise<number> {
    const wait = this.full.waitMs(items);
    if (wait > 0) return wait;
    const reserve: PaceReserve | undefined = this.presence
      ? { staleMs: this.presence.staleMs, share: this.localShare() }
      : undefined;
    const send = { id: this.nextSendId(), pendingMs: this.log.pendingMs };
    return this.coordination.pace(items, this.capacity, this.windowMs, this.leadMs, reserve, send).then(
      (shared) => {
        this.setLocal(false);
        if (shared === 0) this.charge(items, false, send.id);
        return shared;
      },
      (error: unknown) => {
        this.logger?.debug({ err: error }, "shared pacing failed; pacing locally");
        return this.reserveLocally(items, retry);
      },
    );
  }

  /** Adds the sends made alone within the last window to the shared window; true when done. */
  private rejoin(): Promise<boolean> {
    this.rejoining ??= this.presence!.beat().finally(() => (this.rejoining = undefined));
    return this.rejoining;
  }

  /**
   * Both local pacers saw the send, and the shared window ends it too when it holds it (one more
   * round trip a batch; if it fails, the send counts as pending there until its bound).
   */
  answered(items: number): void {
    this.full.answered(items);
    this.fallback.answered(items);
    const shared = this.log.answered(items, this.clock.now());
    if (shared === undefined) return;
    this.coordination.paceAnswered(shared, this.capacity, this.windowMs).catch((error: unknown) => {
      this.logger?.debug({ err: error }, "shared pacing: ending a send failed; it stays pending");
    });
  }

  /** When a batch of `items` may leave in this replica's own view (the shared window may say later). */
  waitMs(items: number): number {
    const own = this.full.waitMs(items);
    return this.coordination.connected && !this.local ? own : Math.max(own, this.fallback.waitMs(items));
  }

  /** Room in this replica's own view (the shared window may still say wait). */
  room(): number {
    const own = this.full.room();
    return this.coordination.connected ? own : Math.min(own, this.fallback.room());
  }

  private reserveLocally(items: number, retry: boolean): number {
    this.setLocal(true);
    // A batch sized for the shared capacity would take more than this replica's share at once:
    // ask again (the batcher resizes it to maxItemsPerSend, now the local share).
    if (!retry && items > this.localShare()) return 1;
    // Before the first send alone, wait until peers keep this replica's share free (its heartbeat
    // is stale, counting a failed beat that a frozen Redis may still run) and every shared send it
    // could not see has left the window.
    const silent = this.presence
      ? Math.max(this.presence.freshForPeersMs, this.windowMs - (this.clock.now() - this.lostAt))
      : 0;
    if (silent > 0) return Math.ceil(silent);
    const fallback = this.localPacer(this.replicas());
    const wait = Math.max(this.full.waitMs(items), fallback.waitMs(items));
    if (wait === 0) this.charge(items, true, this.nextSendId());
    return wait;
  }

  private replicas(): number {
    return Math.max(this.hint, this.presence?.replicas ?? 1);
  }

  /** This replica's share of the capacity while pacing alone, items per second. */
  private localShare(): number {
    return Math.max(1, Math.floor(this.capacity / this.replicas()));
  }

  /**
   * The local pacer for `replicas`, starting from every send `full` counts (an unanswered one may
   * still be arriving at the model, so it keeps counting as arriving now).
   */
  private localPacer(replicas: number): ModelPacer {
    if (this.fallback && replicas === this.fallbackReplicas) return this.fallback;
    const pacer = new ModelPacer({
      itemsPerSecond: Math.max(1, this.capacity / replicas),
      // The model serves at its full capacity: an answer to n items came n / capacity after them.
      servesItemsPerSecond: this.capacity,
      clock: this.clock,
      marginMs: this.marginMs,
      leadMs: this.leadMs,
    });
    pacer.adopt(this.full);
    this.fallback = pacer;
    this.fallbackReplicas = replicas;
    return pacer;
  }

  // Both local pacers see every send, so switching between them keeps the history.
  private charge(items: number, local: boolean, id: string): void {
    this.full.charge(items);
    this.fallback.charge(items);
    this.log.sent(id, items, local, this.clock.now());
  }

  /** Unique among the replicas: the shared window holds every replica's sends. */
  private nextSendId(): string {
    return `${this.coordination.replicaId}:${++this.sendSeq}`;
  }

  private setLocal(local: boolean): void {
    if (local === this.local) return;
    this.local = local;
    if (local) this.lostAt = this.clock.now();
    const fields = { capacity: this.capacity, localCapacity: this.localShare() };
    if (local) this.logger?.warn(fields, "shared pacing unreachable; pacing locally");
    else this.logger?.info(fields, "shared pacing reachable again");
    this.onFallback(local);
  }
}
