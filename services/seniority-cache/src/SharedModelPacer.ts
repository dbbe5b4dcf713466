import type { Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";
import { ModelPacer } from "./ModelPacer.js";
import type { Pacer } from "./Pacer.js";
import type { ReplicaCoordination } from "./store/ReplicaCoordination.js";

export interface SharedModelPacerOptions {
  /** The model's capacity, items per second, shared by every replica (>= 1). */
  itemsPerSecond: number;
  /** Where every replica's sends are counted (Redis). */
  coordination: Pick<ReplicaCoordination, "connected" | "pace">;
  /**
   * Replicas expected to share the model (default 1). While the shared check is unreachable each
   * replica paces itself at itemsPerSecond / replicasHint, so together they stay near capacity.
   */
  replicasHint?: number;
  /** Slack added to the 1-second window, ms (default 25; see ModelPacer). */
  marginMs?: number;
  /** How long before the model is expected to be free a batch may leave, ms (default 0; see ModelPacer). */
  leadMs?: number;
  clock: Clock;
  logger?: Logger;
  /** Called with true when pacing falls back to local, false when the shared check is back. */
  onFallback?: (local: boolean) => void;
}

/**
 * The model's pace shared by all replicas on one Redis: a batch leaves when this replica's own
 * ModelPacer allows it (it already keeps one replica below capacity) and the shared limiter in
 * Redis (paceScript: the same two rules over every replica's sends) records it. When Redis cannot
 * be asked, the replica paces itself at capacity / replicasHint (availability over the exact limit)
 * until Redis answers again.
 */
export class SharedModelPacer implements Pacer {
  private readonly full: ModelPacer;
  private readonly fallback: ModelPacer;
  private readonly capacity: number;
  private readonly windowMs: number;
  private readonly leadMs: number;
  private readonly coordination: SharedModelPacerOptions["coordination"];
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly onFallback: (local: boolean) => void;
  private local = false;

  constructor(options: SharedModelPacerOptions) {
    const hint = options.replicasHint ?? 1;
    if (!Number.isInteger(hint) || hint < 1)
      throw new Error(`replicasHint must be an integer >= 1, got ${hint}`);
    const marginMs = options.marginMs ?? 25;
    this.capacity = options.itemsPerSecond;
    this.windowMs = 1000 + marginMs;
    this.leadMs = options.leadMs ?? 0;
    this.clock = options.clock;
    const leadMs = this.leadMs;
    this.full = new ModelPacer({ itemsPerSecond: this.capacity, clock: this.clock, marginMs, leadMs });
    this.fallback = new ModelPacer({
      itemsPerSecond: Math.max(1, this.capacity / hint),
      servesItemsPerSecond: this.capacity,
      clock: this.clock,
      marginMs,
      leadMs,
    });
    this.coordination = options.coordination;
    this.logger = options.logger;
    this.onFallback = options.onFallback ?? (() => {});
  }

  get maxItemsPerSend(): number {
    return this.coordination.connected ? this.full.maxItemsPerSend : this.fallback.maxItemsPerSend;
  }

  /** True while pacing locally because the shared limiter is unreachable. */
  get pacingLocally(): boolean {
    return this.local;
  }

  reserve(items: number): number | Promise<number> {
    if (!this.coordination.connected) return this.reserveLocally(items);
    const wait = this.full.waitMs(items);
    if (wait > 0) return wait;
    return this.coordination.pace(items, this.capacity, this.windowMs, this.leadMs).then(
      (shared) => {
        this.setLocal(false);
        if (shared === 0) this.charge(items);
        return shared;
      },
      (error: unknown) => {
        this.logger?.debug({ err: error }, "shared pacing failed; pacing locally");
        return this.reserveLocally(items);
      },
    );
  }

  async take(items: number, signal?: AbortSignal): Promise<void> {
    for (let wait = await this.reserve(items); wait > 0; wait = await this.reserve(items)) {
      await this.clock.sleep(wait, signal);
    }
  }

  /** Both local pacers saw the send (the shared window in Redis counts sends, not answers). */
  answered(items: number): void {
    this.full.answered(items);
    this.fallback.answered(items);
  }

  /** Room in this replica's own view (the shared window may still say wait). */
  room(): number {
    const own = this.full.room();
    return this.coordination.connected ? own : Math.min(own, this.fallback.room());
  }

  private reserveLocally(items: number): number {
    this.setLocal(true);
    const wait = Math.max(this.full.waitMs(items), this.fallback.waitMs(items));
    if (wait === 0) this.charge(items);
    return wait;
  }

  // Both local pacers see every send, so switching between them keeps the history.
  private charge(items: number): void {
    this.full.charge(items);
    this.fallback.charge(items);
  }

  private setLocal(local: boolean): void {
    if (local === this.local) return;
    this.local = local;
    const fields = { capacity: this.capacity, localCapacity: this.fallback.maxItemsPerSend };
    if (local) this.logger?.warn(fields, "shared pacing unreachable; pacing locally");
    else this.logger?.info(fields, "shared pacing reachable again");
    this.onFallback(local);
  }
}
