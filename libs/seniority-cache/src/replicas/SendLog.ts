import { DEFAULT_PENDING_SEND_MS } from "./ReplicaCoordination.js";
import type { FoldSource } from "./ReplicaPresence.js";

/** One batch this replica sent to the model, as the shared window must count it. */
interface LoggedSend {
  /** Its id in the shared window. */
  readonly id: string;
  /** When it left, on this replica's clock. */
  readonly at: number;
  readonly items: number;
  /** Sent while pacing alone and not yet added to the shared window. */
  local: boolean;
  /** The latest moment it can have reached the model: undefined while unanswered. */
  arrivedBy: number | undefined;
}

/**
 * This replica's sends that the shared window may still count (SharedModelPacer): every unanswered
 * one (it may still be arriving at the model) and the answered ones until they leave the window. It
 * tells which sends made alone are missing from the shared window (fold), and which shared send an
 * answer ends (the oldest unanswered one of that size, as ModelPacer matches them).
 */
export class SendLog {
  /** An unanswered send older than this counts as arrived then (its call's deadline), ms. */
  readonly pendingMs: number;
  // guarded by: a few dozen at most (capacity / batch size per window), so a plain array
  private sends: LoggedSend[] = [];

  constructor(
    private readonly options: {
      windowMs: number;
      /** Default DEFAULT_PENDING_SEND_MS. */
      pendingMs?: number | undefined;
      /** The model's capacity, items/s: an answer to n items came at least n / capacity after them. */
      capacity: number;
    },
  ) {
    this.pendingMs = options.pendingMs ?? DEFAULT_PENDING_SEND_MS;
  }

  sent(id: string, items: number, local: boolean, now: number): void {
    this.expire(now);
    this.sends.push({ id, at: now, items, local, arrivedBy: undefined });
  }

  /**
   * A send of `items` is over now. Resolves to its id when the shared window holds it (sent shared,
   * or made alone and folded since), so the caller ends it there too; else undefined.
   */
  answered(items: number, now: number): string | undefined {
    const send =
      this.sends.find((s) => s.arrivedBy === undefined && s.items === items) ??
      this.sends.find((s) => s.arrivedBy === undefined);
    if (!send) return undefined;
    send.arrivedBy = Math.min(now, Math.max(send.at, now - (send.items * 1000) / this.options.capacity));
    return send.local ? undefined : send.id;
  }

  /** The sends made alone that the shared window lacks (see ReplicaPresence.foldFrom). */
  unfolded(now: number): ReturnType<FoldSource> {
    this.expire(now);
    const local = this.sends.filter((send) => send.local);
    return {
      sends: local.map((send) => ({
        id: send.id,
        items: send.items,
        sentAgeMs: now - send.at,
        arrivedAgeMs: send.arrivedBy === undefined ? undefined : now - send.arrivedBy,
        pendingMs: this.pendingMs,
      })),
      folded: () => local.forEach((send) => (send.local = false)),
    };
  }

  private expire(now: number): void {
    const horizon = now - this.options.windowMs;
    const arrived = (send: LoggedSend): number => send.arrivedBy ?? send.at + this.pendingMs;
    if (this.sends.some((send) => arrived(send) <= horizon)) {
      this.sends = this.sends.filter((send) => arrived(send) > horizon);
    }
  }
}
