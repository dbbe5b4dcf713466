import type { Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";

/**
 * What one claim attempt found for a pair: its level (another replica has answered it meanwhile),
 * "won" (this replica now holds the claim and infers the pair) or "lost" (another replica holds
 * it: wait for its answer).
 */
export type ClaimOutcome = number | "won" | "lost";

/** Another replica as the last heartbeat saw it. */
export interface PeerState {
  readonly id: string;
  /** Since its last heartbeat, ms. */
  readonly ageMs: number;
  /** False while it may be inferring pairs without a claim whose answers are not stored yet. */
  readonly synced: boolean;
  /** Where peers reach it over gRPC; undefined: not reachable by peers (it owns no pairs). */
  readonly address?: string | undefined;
}

/** A send made while pacing alone, as it goes into the shared window (see paceScript). */
export interface FoldedSend {
  /** Its id in the shared window (paceAnswered ends it there if it is still pending). */
  id: string;
  items: number;
  /** How long ago it was sent, ms. */
  sentAgeMs: number;
  /** How long ago it reached the model at the latest, ms; undefined while unanswered (pending). */
  arrivedAgeMs?: number | undefined;
  /** While pending: the longest it may stay unanswered, ms (from when it was sent). */
  pendingMs: number;
}

/** What a replica says in a heartbeat (see presenceScript). */
export interface Heartbeat {
  synced: boolean;
  /** Where peers reach this replica over gRPC (it then owns pairs while claims are unusable). */
  address?: string | undefined;
  /** A peer silent this long is reported stale (and may be pacing alone), ms. */
  staleMs: number;
  /** A peer silent this long is forgotten, ms. */
  expiryMs: number;
  /** The pacing window, ms (1000 + margin). */
  windowMs: number;
  /** Peers this replica knew before it lost Redis: put back as stale if Redis lost them (a restart). */
  restore?: readonly string[];
  /** This replica's sends of the last window made while pacing alone: added to the shared window. */
  sends?: readonly FoldedSend[];
  /**
   * This replica's clock when it sent the beat, ms (optional): with it, a beat that reaches Redis
   * more than `lateMs` later than this replica's usual lag is refused (rejects), see presenceScript.
   */
  sentAt?: number;
  /** How late a beat may reach Redis, ms (with sentAt). */
  lateMs?: number;
}

/** Who a send is for pace(): its id (for paceAnswered) and how long it may stay unanswered. */
export interface PaceSend {
  /** Unique among the replicas (default: this replica's id and a sequence number). */
  id?: string;
  /** The longest the send may stay unanswered, ms (its model call's deadline; default 10,000). */
  pendingMs?: number;
}

/** Shared pacing keeps each stale peer's local share free (see paceScript). */
export interface PaceReserve {
  staleMs: number;
  /** Items per second kept free per stale peer. */
  share: number;
}

export interface CoordinationOptions {
  /** A claim not refreshed for this long expires (its replica died or lost Redis), ms. */
  claimTtlMs: number;
  /**
   * The clock whose now() the shared pacer uses; undefined (the default): the Redis server's TIME,
   * the only clock all replicas share. Tests pass the ManualClock their replicas share.
   */
  paceClock?: Clock;
  logger?: Logger;
}

/**
 * How several replicas on one shared store act as one cache: a claim per pair being inferred, one
 * pace for the model, and invalidation broadcast to every replica's L1. Every method is one round
 * trip however many keys it gets, and rejects (never hangs past the store's command timeout) when
 * the backend is unreachable; the cache then falls back to acting alone.
 */
export interface ReplicaCoordination {
  /** The value of this replica's claims (host, pid and a random part). */
  readonly replicaId: string;
  /** False while the backend is unreachable (calls would fail at once). */
  readonly connected: boolean;
  /** Claims each pair unless answered or held by another replica; outcomes in the order of `keys`. */
  claim(keys: readonly Buffer[]): Promise<ClaimOutcome[]>;
  /** Deletes this replica's claims on `keys`; resolves to how many it held. */
  release(keys: readonly Buffer[]): Promise<number>;
  /** Extends this replica's claims on `keys` by a TTL; resolves to how many it still held. */
  refresh(keys: readonly Buffer[]): Promise<number>;
  /**
   * Shared pacing: records a batch of `items` and resolves to 0 when every replica's sends together
   * allow it now (see paceScript), else resolves to the ms to wait before asking again. `leadMs`
   * (default 0): how long before the model is expected to finish earlier sends this one may leave.
   */
  pace(
    items: number,
    capacity: number,
    windowMs: number,
    leadMs?: number,
    reserve?: PaceReserve,
    send?: PaceSend,
  ): Promise<number>;
  /**
   * The send `sendId` recorded by pace() (or folded by a heartbeat) is over: answered, failed or
   * given up. From now it counts at the latest moment it can have reached the model.
   */
  paceAnswered(sendId: string, capacity: number, windowMs: number): Promise<void>;
  /** Records this replica's presence; resolves to every other live replica (see presenceScript). */
  heartbeat(beat: Heartbeat): Promise<PeerState[]>;
  /** Tells every replica (this one included) to drop `keys` from its L1. */
  publishInvalidation(keys: readonly Buffer[]): Promise<void>;
  /** Calls `listener` with the hex keys of every invalidation broadcast; returns the unsubscribe. */
  onInvalidation(listener: (hexKeys: string[]) => void): () => void;
  /** Idempotent: stops listening for invalidations (the store's own connection is the store's). */
  close(): Promise<void>;
}
