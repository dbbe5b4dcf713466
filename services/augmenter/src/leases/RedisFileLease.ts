import type { Clock } from "@seniority/clock";
import type { RedisScript } from "@seniority/redis";
import type { Logger } from "@seniority/telemetry";
import type { FileLease } from "./FileLeases.js";
import { RELEASE_LEASE, RENEW_LEASE } from "./leaseScripts.js";
import { LeaseLostError, type LeaseLossKind } from "./LeaseLostError.js";

/** Runs a one-key script on the lease store; rejects when the store cannot be reached. */
export type RunLeaseScript = (
  script: RedisScript,
  redisKey: string,
  ...args: (string | number)[]
) => Promise<unknown>;

export interface RedisFileLeaseOptions {
  /** The input file's key (for messages). */
  key: string;
  redisKey: string;
  owner: string;
  /** Time to live of the Redis key, milliseconds; renewed every ttlMs / 3. */
  ttlMs: number;
  /** `clock.now()` just before the SET that took the lease was sent. */
  acquiredAt: number;
  run: RunLeaseScript;
  clock: Clock;
  logger?: Logger;
  /** Called once, after release() has finished. */
  onReleased: () => void;
}

/**
 * A lease taken in Redis by RedisFileLeases. Renews itself every ttl / 3 (compare and
 * PEXPIRE) until released. A renewal finding another owner loses the lease at once ("taken");
 * failed renewals are retried at the next tick, and once no renewal has succeeded for a whole ttl
 * (counted from when the last successful command was sent, so never later than Redis' own expiry)
 * the lease is lost ("unreachable").
 */
export class RedisFileLease implements FileLease {
  private readonly lost = new AbortController();
  private readonly stopRenewing = new AbortController();
  private readonly renewing: Promise<void>;
  private releasing: Promise<void> | undefined;

  constructor(private readonly options: RedisFileLeaseOptions) {
    this.renewing = this.renewUntilStopped();
  }

  get signal(): AbortSignal {
    return this.lost.signal;
  }

  release(): Promise<void> {
    return (this.releasing ??= this.releaseOnce());
  }

  private async releaseOnce(): Promise<void> {
    const { key, redisKey, owner, run, logger } = this.options;
    this.stopRenewing.abort();
    await this.renewing;
    try {
      // Not ours any more: nothing to give up (and the script would leave the new owner's key alone).
      if (!this.lost.signal.aborted) await run(RELEASE_LEASE, redisKey, owner);
    } catch (error) {
      logger?.warn({ file: key, err: error }, "could not release a lease (it expires by itself)");
    } finally {
      this.options.onReleased();
    }
  }

  private async renewUntilStopped(): Promise<void> {
    const { key, redisKey, owner, ttlMs, run, clock, logger } = this.options;
    const everyMs = Math.max(1, Math.floor(ttlMs / 3));
    const stopped = this.stopRenewing.signal;
    let confirmedAt = this.options.acquiredAt;
    for (;;) {
      try {
        await clock.sleep(everyMs, stopped);
      } catch {
        return; // released
      }
      const sentAt = clock.now();
      try {
        const renewed = await run(RENEW_LEASE, redisKey, owner, ttlMs);
        if (stopped.aborted) return;
        if (renewed !== 1) return this.lose("taken");
        confirmedAt = sentAt;
      } catch (error) {
        if (stopped.aborted) return;
        if (clock.now() - confirmedAt >= ttlMs) return this.lose("unreachable", error);
        logger?.warn({ file: key, err: error }, "could not renew a lease (retried)");
      }
    }
  }

  private lose(kind: LeaseLossKind, cause?: unknown): void {
    const error = new LeaseLostError(this.options.key, kind, cause === undefined ? undefined : { cause });
    this.options.logger?.warn({ file: this.options.key, kind }, error.message);
    this.lost.abort(error);
  }
}
