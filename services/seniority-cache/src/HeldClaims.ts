import type { Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";
import type { ReplicaCoordination } from "./store/ReplicaCoordination.js";

/**
 * The claims this replica holds, by pair (hex → key). While any is held they are refreshed every
 * claimTtlMs / 3, because a claimed pair may wait in the queue longer than one TTL behind a
 * backlog; a replica that dies stops refreshing and its claims expire after claimTtlMs. Bounded by
 * the work queued for the model (a claim is held only from claim to store write).
 */
export class HeldClaims {
  private readonly held = new Map<string, Buffer>();
  private readonly releasing = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  // guarded by: set while the refresh loop runs; cleared by the loop itself when it ends
  private keeper: Promise<void> | undefined;

  constructor(
    private readonly coordination: Pick<ReplicaCoordination, "release" | "refresh">,
    private readonly clock: Clock,
    private readonly claimTtlMs: number,
    private readonly logger: Logger | undefined,
  ) {}

  get size(): number {
    return this.held.size;
  }

  has(hex: string): boolean {
    return this.held.has(hex);
  }

  add(pairs: readonly { hex: string; key: Buffer }[]): void {
    for (const { hex, key } of pairs) this.held.set(hex, key);
    if (this.held.size > 0 && !this.keeper && !this.stop.signal.aborted) this.keeper = this.keep();
  }

  /** Deletes the claims in Redis: their answers are stored (or their batch failed and may be retried). */
  release(hexes: readonly string[]): void {
    const keys = this.take(hexes);
    if (keys.length === 0) return;
    const done = this.coordination.release(keys).then(
      () => undefined,
      (error: unknown) => this.logger?.debug({ err: error }, "releasing claims failed; they expire"),
    );
    this.releasing.add(done);
    void done.finally(() => this.releasing.delete(done));
  }

  /** Stops refreshing the claims and lets them expire (their answers wait in the write buffer). */
  forget(hexes: readonly string[]): void {
    this.take(hexes);
  }

  /** Idempotent: stops refreshing and waits for releases already begun. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.keeper;
    while (this.releasing.size > 0) await Promise.all(this.releasing);
  }

  private take(hexes: readonly string[]): Buffer[] {
    const keys: Buffer[] = [];
    for (const hex of hexes) {
      const key = this.held.get(hex);
      if (key && this.held.delete(hex)) keys.push(key);
    }
    return keys;
  }

  private async keep(): Promise<void> {
    for (;;) {
      try {
        await this.clock.sleep(this.claimTtlMs / 3, this.stop.signal);
      } catch {
        // closing
      }
      if (this.held.size === 0 || this.stop.signal.aborted) {
        this.keeper = undefined;
        return;
      }
      try {
        await this.coordination.refresh([...this.held.values()]);
      } catch (error) {
        this.logger?.debug({ err: error }, "refreshing claims failed; retrying at the next interval");
      }
    }
  }
}
