import type { Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";
import type { FoldedSend, PeerState, ReplicaCoordination } from "./ReplicaCoordination.js";

/** Sends this replica made alone and has not yet added to the shared window; `folded` once added. */
export type FoldSource = () => { sends: FoldedSend[]; folded(): void };

export interface ReplicaPresenceOptions {
  /**
   * Where heartbeats go. `connected` (optional, else taken as true): whether a beat is written to
   * Redis at all; one that is not (rejected at once) can never run later.
   */
  coordination: Pick<ReplicaCoordination, "heartbeat"> & Partial<Pick<ReplicaCoordination, "connected">>;
  clock: Clock;
  /** True while this replica has no unclaimed inference whose answer is not yet stored. */
  synced: () => boolean;
  /** Where peers reach this replica over gRPC (optional: then it owns pairs while claims are unusable). */
  address?: string;
  /** The pacing window, ms (1000 + margin). */
  windowMs: number;
  /** Heartbeat interval, ms (default 250). */
  intervalMs?: number;
  /** A peer silent this long may be pacing alone, ms (default 1,000). */
  staleMs?: number;
  /** A peer silent this long is forgotten, ms (default 10,000). */
  expiryMs?: number;
  /**
   * A beat reaching Redis this much later than usual is refused, ms (default 250): a frozen Redis
   * runs a beat it buffered when it thaws, and peers would take this replica as fresh then.
   */
  lateBeatMs?: number;
  /** Longest wait for peers to sync before claims are trusted anyway, ms (default 10,000). */
  maxDeferMs?: number;
  logger?: Logger;
}

/**
 * This replica's view of its peers on one Redis, from a heartbeat every `intervalMs`
 * (presenceScript). It tells the shared pacer how many replicas share the model (while Redis is
 * down each paces at capacity / replicas) and which peers are stale (their share stays free), and
 * the miss path whether claims can be trusted: not while a peer may still be inferring pairs it took
 * without a claim during an outage (their answers are not in the store yet), so a pair won is
 * looked up again once every peer has synced (or after `maxDeferMs`) instead of being inferred twice.
 * The peers known when Redis is lost are kept (not aged) until it answers again, and put back once
 * if a restart lost them.
 */
export class ReplicaPresence {
  readonly staleMs: number;
  readonly expiryMs: number;
  readonly lateBeatMs: number;
  private readonly intervalMs: number;
  private readonly maxDeferMs: number;
  private readonly stop = new AbortController();
  // guarded by: the peers of the last successful heartbeat (kept while Redis is unreachable)
  private peers: PeerState[] = [];
  private lastBeatAt = Number.NEGATIVE_INFINITY;
  // guarded by: when the last beat whose fate is unknown (written, then failed here) was sent, and the round
  // trip of the last successful one: that beat may still reach Redis up to about then + both
  private lastFailedSentAt = Number.NEGATIVE_INFINITY;
  private lastRttMs = 0;
  private restoreNext = false;
  private untrustedSince: number | undefined;
  private loop: Promise<void> | undefined;
  private foldSource: FoldSource | undefined;

  constructor(private readonly options: ReplicaPresenceOptions) {
    this.intervalMs = options.intervalMs ?? 250;
    this.staleMs = options.staleMs ?? 1000;
    this.expiryMs = options.expiryMs ?? 10_000;
    this.maxDeferMs = options.maxDeferMs ?? 10_000;
    this.lateBeatMs = options.lateBeatMs ?? 250;
  }

  /** Starts the heartbeat loop (idempotent). */
  start(): void {
    if (!this.loop && !this.stop.signal.aborted) this.loop = this.run();
  }

  /** Replicas sharing the model, this one included, as last known. */
  get replicas(): number {
    return 1 + this.peers.length;
  }

  /** The peers of the last successful heartbeat (kept while Redis is unreachable). */
  get known(): readonly PeerState[] {
    return this.peers;
  }

  /** Peers whose last heartbeat was stale (they may be pacing alone). */
  get stalePeers(): number {
    return this.peers.filter((peer) => peer.ageMs >= this.staleMs).length;
  }

  /** Since this replica's last successful heartbeat, ms (Infinity: never). */
  get silentForMs(): number {
    return this.options.clock.now() - this.lastBeatAt;
  }

  /**
   * How much longer peers may see this replica as fresh, ms (0: they see it stale, so they keep
   * its share free and it may pace alone). A successful beat counts until staleMs after its reply;
   * a failed one may still reach Redis (a frozen server runs it when it thaws) unless it is late,
   * so it counts until staleMs after its sending + lateBeatMs + the last round trip (+ 1 ms of
   * baseline creep per refused beat, covered by 10 ms).
   */
  get freshForPeersMs(): number {
    const now = this.options.clock.now();
    const failed = this.lastFailedSentAt + this.lastRttMs + this.lateBeatMs + 10;
    return Math.max(0, Math.max(this.lastBeatAt, failed) + this.staleMs - now);
  }

  /**
   * True when a pair won may be inferred: this replica's heartbeat is fresh and every peer is fresh
   * and synced — or peers have kept claims untrusted for maxDeferMs (availability first).
   */
  get claimsTrusted(): boolean {
    const now = this.options.clock.now();
    const trusted =
      now - this.lastBeatAt < this.staleMs &&
      this.peers.every((peer) => peer.ageMs < this.staleMs && peer.synced);
    if (trusted) {
      this.untrustedSince = undefined;
      return true;
    }
    this.untrustedSince ??= now;
    return now - this.untrustedSince >= this.maxDeferMs;
  }

  /**
   * Where the pacer's sends made alone come from: every heartbeat adds them to the shared window in
   * the same step that makes this replica fresh again, so peers never see it fresh while its own
   * sends are missing from the window.
   */
  foldFrom(source: FoldSource): void {
    this.foldSource = source;
  }

  /** One heartbeat now (with the sends to fold). Resolves to false when Redis could not be asked. */
  async beat(): Promise<boolean> {
    const restore = this.restoreNext ? this.peers.map((peer) => peer.id) : [];
    const fold = this.foldSource?.();
    const sends = fold?.sends ?? [];
    const sentAt = this.options.clock.now();
    const written = this.options.coordination.connected !== false;
    try {
      this.peers = await this.options.coordination.heartbeat({
        synced: this.options.synced(),
        address: this.options.address,
        staleMs: this.staleMs,
        expiryMs: this.expiryMs,
        windowMs: this.options.windowMs,
        restore,
        sends,
        sentAt,
        lateMs: this.lateBeatMs,
      });
      this.lastBeatAt = this.options.clock.now();
      this.lastRttMs = this.lastBeatAt - sentAt;
      this.restoreNext = false;
      fold?.folded();
      return true;
    } catch (error) {
      if (written) this.lastFailedSentAt = Math.max(this.lastFailedSentAt, sentAt);
      if (!this.restoreNext) this.options.logger?.debug({ err: error }, "heartbeat failed");
      this.restoreNext = true;
      return false;
    }
  }

  /** Idempotent: stops the heartbeat loop. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stop.signal.aborted) {
      await this.beat();
      try {
        await this.options.clock.sleep(this.intervalMs, this.stop.signal);
      } catch {
        break; // closing
      }
    }
  }
}
