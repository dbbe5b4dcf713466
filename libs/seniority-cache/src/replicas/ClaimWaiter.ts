import type { Clock } from "@seniority/clock";
import { FifoQueue } from "../core/FifoQueue.js";
import type { ReplicaCoordination } from "./ReplicaCoordination.js";

/** A pair another replica is inferring. */
export interface WaitingPair {
  readonly key: Buffer;
}

export interface ClaimWaiterOptions<T extends WaitingPair> {
  coordination: Pick<ReplicaCoordination, "claim">;
  clock: Clock;
  /** The other replica's answer arrived (in the store). */
  onAnswered(pair: T, level: number): void;
  /** Their claims vanished without an answer (failed or expired) and this replica now holds them. */
  onWon(pairs: T[]): void;
  /** Redis could not be asked: infer these without a claim (availability over deduplication). */
  onUnreachable(pairs: T[]): void;
  /**
   * False while a claim won must not be acted on yet (a peer may still be inferring pairs it took
   * without a claim): such pairs keep waiting, their claims kept by each poll, and are looked up
   * again. Default: always true.
   */
  trusted?: () => boolean;
  /** First poll interval, ms (default 20); doubles while nothing changes, up to maxIntervalMs. */
  minIntervalMs?: number;
  /** Longest poll interval, ms (default 200). */
  maxIntervalMs?: number;
  /** Pairs asked per poll, at most (default 2,000); the others wait for the next poll, in turn. */
  maxPairsPerPoll?: number;
}

/**
 * Waits for pairs claimed by other replicas: one claim-script call per poll for every waiting pair
 * of this replica (whatever request it came from), which returns the answer if it is stored, or
 * claims the pair if the other replica's claim vanished. Polls back off from 20 ms to 200 ms while
 * nothing changes and start again at 20 ms when something does or new pairs arrive. Bounded by the
 * other replicas' queues (a pair waits here only while another replica holds its claim).
 */
export class ClaimWaiter<T extends WaitingPair> {
  private readonly queue = new FifoQueue<T>();
  private readonly minIntervalMs: number;
  private readonly maxIntervalMs: number;
  private readonly maxPairsPerPoll: number;
  private readonly stop = new AbortController();
  private intervalMs: number;
  // guarded by: set while the poll loop runs; cleared by the loop itself when the queue empties
  private loop: Promise<void> | undefined;

  constructor(private readonly options: ClaimWaiterOptions<T>) {
    this.minIntervalMs = options.minIntervalMs ?? 20;
    this.maxIntervalMs = options.maxIntervalMs ?? 200;
    this.maxPairsPerPoll = options.maxPairsPerPoll ?? 2000;
    this.intervalMs = this.minIntervalMs;
  }

  /** Pairs waiting now. */
  get size(): number {
    return this.queue.length;
  }

  add(pairs: readonly T[]): void {
    if (pairs.length === 0) return;
    for (const pair of pairs) this.queue.push(pair);
    this.intervalMs = this.minIntervalMs;
    if (!this.loop && !this.stop.signal.aborted) this.loop = this.run();
  }

  /** Idempotent: stops polling; resolves to the pairs still waiting (the caller settles them). */
  async close(): Promise<T[]> {
    this.stop.abort();
    await this.loop;
    return this.drain();
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0 && !this.stop.signal.aborted) {
      try {
        await this.options.clock.sleep(this.intervalMs, this.stop.signal);
      } catch {
        break; // closing
      }
      const polled: T[] = [];
      while (polled.length < this.maxPairsPerPoll && this.queue.length > 0) polled.push(this.queue.shift()!);
      let outcomes;
      try {
        outcomes = await this.options.coordination.claim(polled.map((pair) => pair.key));
      } catch {
        this.options.onUnreachable([...polled, ...this.drain()]);
        break;
      }
      const won: T[] = [];
      let stillWaiting = 0;
      const trusted = this.options.trusted?.() ?? true;
      polled.forEach((pair, i) => {
        const outcome = outcomes[i]!;
        if (outcome === "lost" || (outcome === "won" && !trusted)) {
          this.queue.push(pair);
          stillWaiting++;
        } else if (outcome === "won") won.push(pair);
        else this.options.onAnswered(pair, outcome);
      });
      if (won.length > 0) this.options.onWon(won);
      this.intervalMs =
        stillWaiting < polled.length ? this.minIntervalMs : Math.min(this.maxIntervalMs, this.intervalMs * 2);
    }
    this.loop = undefined;
  }

  private drain(): T[] {
    const left: T[] = [];
    while (this.queue.length > 0) left.push(this.queue.shift()!);
    return left;
  }
}
