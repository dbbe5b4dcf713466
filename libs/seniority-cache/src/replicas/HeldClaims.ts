import type { Clock } from "@seniority/clock";
import type { Logger } from "@seniority/telemetry";
import type { ReplicaCoordination } from "./ReplicaCoordination.js";

/** How often pairs inferred without a claim are claimed once Redis answers, ms. */
const ADOPT_INTERVAL_MS = 100;

/**
 * The claims this replica holds, by pair (hex → key). While any is held they are refreshed every
 * claimTtlMs / 3, because a claimed pair may wait in the queue longer than one TTL behind a
 * backlog; a replica that dies stops refreshing and its claims expire after claimTtlMs. Bounded by
 * the work queued for the model (a claim is held only from claim to store write).
 */
export class HeldClaims {
  private readonly held = new Map<string, Buffer>();
  // guarded by: pairs sent to the model without a claim (Redis was unreachable), until settled;
  // `tried` once a claim was attempted for them after Redis came back
  private readonly unheld = new Map<string, { key: Buffer; tried: boolean }>();
  private readonly releasing = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  // guarded by: set while the refresh loop runs; cleared by the loop itself when it ends
  private keeper: Promise<void> | undefined;
  // guarded by: set while the adopt loop runs; cleared by the loop itself when it ends
  private adopter: Promise<void> | undefined;

  constructor(
    private readonly coordination: Pick<ReplicaCoordination, "release" | "refresh" | "claim" | "connected">,
    private readonly clock: Clock,
    private readonly claimTtlMs: number,
    private readonly logger: Logger | undefined,
  ) {}

  get size(): number {
    return this.held.size;
  }

  /** Pairs inferred without a claim whose answers are not settled yet. */
  get unclaimed(): number {
    return this.unheld.size;
  }

  has(hex: string): boolean {
    return this.held.has(hex) || this.unheld.has(hex);
  }

  /**
   * Pairs on their way to the model without a claim (Redis was unreachable). Once Redis answers
   * they are claimed (every ADOPT_INTERVAL_MS until tried once): those won are held like any other
   * claim, so a peer waits for their answers instead of inferring them again.
   */
  adopt(pairs: readonly { hex: string; key: Buffer }[]): void {
    for (const { hex, key } of pairs) if (!this.held.has(hex)) this.unheld.set(hex, { key, tried: false });
    if (this.unheld.size > 0 && !this.adopter && !this.stop.signal.aborted) this.adopter = this.claimUnheld();
  }

  add(pairs: readonly { hex: string; key: Buffer }[]): void {
    for (const { hex, key } of pairs) this.held.set(hex, key);
    if (this.held.size > 0 && !this.keeper && !this.stop.signal.aborted) this.keeper = this.keep();
  }

  /** Deletes the claims in Redis: their answers are stored (or their batch failed and may be retried). */
  release(hexes: readonly string[]): void {
    this.releaseKeys(this.take(hexes));
  }

  private releaseKeys(keys: Buffer[]): void {
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
    await Promise.all([this.keeper, this.adopter]);
    while (this.releasing.size > 0) await Promise.all(this.releasing);
  }

  private take(hexes: readonly string[]): Buffer[] {
    const keys: Buffer[] = [];
    for (const hex of hexes) {
      const key = this.held.get(hex);
      if (key && this.held.delete(hex)) keys.push(key);
      this.unheld.delete(hex);
    }
    return keys;
  }

  private async claimUnheld(): Promise<void> {
    for (;;) {
      try {
        await this.clock.sleep(ADOPT_INTERVAL_MS, this.stop.signal);
      } catch {
        // closing
      }
      const untried = [...this.unheld].filter(([, pair]) => !pair.tried);
      if (untried.length === 0 || this.stop.signal.aborted) {
        this.adopter = undefined;
        return;
      }
      if (!this.coordination.connected) continue;
      let outcomes;
      try {
        outcomes = await this.coordination.claim(untried.map(([, pair]) => pair.key));
      } catch (error) {
        this.logger?.debug({ err: error }, "claiming pairs inferred without a claim failed; retrying");
        continue;
      }
      const won: { hex: string; key: Buffer }[] = [];
      untried.forEach(([hex, pair], i) => {
        if (!this.unheld.has(hex)) {
          // settled meanwhile: a claim won now would never be released
          if (outcomes[i] === "won") this.releaseKeys([pair.key]);
        } else if (outcomes[i] === "won") {
          this.unheld.delete(hex);
          won.push({ hex, key: pair.key });
        } else pair.tried = true;
      });
      this.add(won);
    }
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
