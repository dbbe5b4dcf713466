import { systemClock, type Clock } from "@seniority/clock";
import { LANES, type Lane } from "@seniority/seniority-model";
import { BatchFlight, settleSink, type BatchSink, type BatchSlot, type BatchTicket } from "./BatchFlight.js";
import { BatchSizes } from "./BatchSizes.js";
import { CacheError } from "./CacheError.js";
import { LaneQueues, type LaneItem } from "./LaneQueues.js";
import { batcherLimits, type BatchContext, type MicroBatcherOptions } from "./MicroBatcherOptions.js";
import type { Pacer } from "./Pacer.js";
import { WakeSignal } from "./WakeSignal.js";

export type { BatchSink, BatchSlot, BatchTicket } from "./BatchFlight.js";
export type { BatchContext, MicroBatcherOptions } from "./MicroBatcherOptions.js";

interface Pending<I, O> extends LaneItem {
  readonly item: I;
  readonly sink: BatchSink<O>;
}

/**
 * Groups items into batches (after graphql/dataloader, with time and lanes): a batch leaves when
 * `maxBatch` items wait or the oldest has waited `maxDelayMs`; interactive items leave first, in a
 * batch of their own, so they wait behind at most the batch the model is serving — and while
 * interactive callers are about, bulk batches are sliced to `bulkSliceMs` of the model's time
 * (BatchSizes), so that batch is short. A batch waits for a free in-flight slot and then for the
 * pacer, so the model is sent full batches under backlog and never more than its capacity. Each
 * lane has its own bound (bulk never fills the interactive one). One loop does all scheduling.
 */
export class MicroBatcher<I, O> {
  private readonly execute: MicroBatcherOptions<I, O>["execute"];
  private readonly sizes: BatchSizes;
  private readonly maxDelayMs: number;
  private readonly maxInFlight: number;
  private readonly maxQueued: Record<Lane, number>;
  private readonly pacer: Pacer | undefined;
  private readonly clock: Clock;
  private readonly lanes = new LaneQueues<Pending<I, O>>();
  private readonly running = new Set<Promise<void>>();
  // guarded by: batches sent and not yet answered, by the lane they were filled from
  private readonly inFlight: Record<Lane, number> = { interactive: 0, bulk: 0 };
  private readonly context: BatchContext;
  private readonly changes: WakeSignal;
  private closing = false;
  private readonly loop: Promise<void>;
  private closed: Promise<void> | undefined;

  constructor(options: MicroBatcherOptions<I, O>) {
    this.execute = options.execute;
    const pacer = (this.pacer = options.pacer);
    const limits = batcherLimits(options);
    ({ maxDelayMs: this.maxDelayMs, maxInFlight: this.maxInFlight, maxQueued: this.maxQueued } = limits);
    this.clock = options.clock ?? systemClock;
    this.sizes = new BatchSizes({ ...limits, pacer, clock: this.clock });
    this.changes = new WakeSignal(this.clock);
    // The resend of a failed attempt is paced like a first send; the pacer is asked only here.
    this.context = {
      beforeRetry: pacer
        ? (items, signal) => {
            pacer.answered(items);
            return pacer.take(items, signal);
          }
        : () => Promise.resolve(),
    };
    this.loop = this.run();
  }

  /**
   * Queues every item or none: throws CacheError RESOURCE_EXHAUSTED when they would not fit, and
   * UNAVAILABLE once close() has begun. Each ticket settles when its batch is answered.
   */
  submit(items: readonly I[], lane: Lane): BatchTicket<O>[] {
    const flights = items.map(() => new BatchFlight<O>());
    const slots = this.enqueue(items, lane, flights);
    for (let i = 0; i < flights.length; i++) flights[i]!.queued(slots[i]!, this);
    return flights;
  }

  /**
   * Like submit(), but each answer goes to `sinks[i]`: for callers that already hold a flight per
   * item (see BatchFlight). Same refusals as submit().
   */
  enqueue(items: readonly I[], lane: Lane, sinks: readonly BatchSink<O>[]): BatchSlot[] {
    if (sinks.length !== items.length) throw new Error(`${items.length} items but ${sinks.length} sinks`);
    this.assertRoom(items.length, lane);
    const enqueuedAt = this.clock.now();
    const slots = new Array<BatchSlot>(items.length);
    for (let i = 0; i < items.length; i++) {
      const pending: Pending<I, O> = { item: items[i]!, enqueuedAt, lane, taken: false, sink: sinks[i]! };
      this.lanes.push(pending);
      slots[i] = pending;
    }
    if (items.length > 0 && lane === "interactive") this.sizes.interactiveSeen();
    if (items.length > 0) this.changes.notify();
    return slots;
  }

  /** Moves a queued item ahead of bulk work (no-op once it is in a batch or already interactive). */
  promote(slot: BatchSlot): void {
    if (this.lanes.promote(slot as Pending<I, O>)) this.sizes.interactiveSeen();
  }

  /**
   * Throws what submit() would for `items` more items in `lane` (plus `alsoPending` of that lane
   * on their way to submit()): CacheError UNAVAILABLE once close() has begun, RESOURCE_EXHAUSTED
   * past the lane's bound.
   */
  assertRoom(items: number, lane: Lane, alsoPending = 0): void {
    if (this.closing) throw new CacheError("UNAVAILABLE", "the cache is shutting down");
    const queued = this.lanes.count(lane) + alsoPending;
    const limit = this.maxQueued[lane];
    if (queued + items > limit) {
      const flag = lane === "bulk" ? "--max-queued" : "--max-queued-interactive";
      throw new CacheError(
        "RESOURCE_EXHAUSTED",
        `too much ${lane} work queued for the model: ${queued} items wait and this request adds ${items}; ` +
          `the limit is ${limit} (${flag}). Retry later.`,
      );
    }
  }

  /** Items waiting for a batch, in one lane or all. */
  queuedIn(lane: Lane): number {
    return this.lanes.count(lane);
  }

  get queued(): number {
    return this.lanes.total;
  }

  get inFlightBatches(): number {
    return this.inFlight.interactive + this.inFlight.bulk;
  }

  /** Idempotent: refuses new work, sends everything queued (paced as usual), waits for answers. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      this.changes.notify();
      await this.loop;
      while (this.running.size > 0) await Promise.all(this.running);
    })();
    return this.closed;
  }

  private async run(): Promise<void> {
    for (;;) {
      const { lane, waitMs } = this.nextBatch();
      if (lane === undefined) {
        if (waitMs === undefined && this.closing && this.queued === 0) return;
        await this.changes.wait(waitMs); // undefined: until work or an answer arrives
        continue;
      }
      const size = this.sizes.sizeFor(lane, this.lanes.count(lane));
      // Charged at the moment of sending: nothing but this loop takes items, so `size` still wait.
      let paceMs = this.pacer?.reserve(size) ?? 0;
      if (typeof paceMs !== "number") paceMs = await paceMs;
      if (paceMs > 0) {
        // More work (or an answer) may arrive meanwhile: the batch is resized when it wakes.
        await this.changes.wait(this.sizes.retryMs(size, paceMs));
      } else {
        this.send(this.lanes.take(size, lane), lane, this.pacer !== undefined);
      }
    }
  }

  /**
   * The lane whose batch is due now (interactive first), or how long until one is due (undefined:
   * none pending, or only lanes with maxInFlight batches out). Each lane has its own maxInFlight
   * slots, so small interactive batches never hold back bulk ones, nor the other way round.
   */
  private nextBatch(): { lane?: Lane; waitMs?: number } {
    let waitMs: number | undefined;
    let first: Lane | undefined;
    for (const lane of LANES) {
      if (this.lanes.count(lane) === 0 || this.inFlight[lane] >= this.maxInFlight) continue;
      first ??= lane;
      // When any batch is due, the first lane goes: interactive items never wait behind it.
      const due = this.msUntilDue(lane);
      if (due === 0) return { lane: first };
      waitMs = Math.min(waitMs ?? due, due);
    }
    return waitMs === undefined ? {} : { waitMs };
  }

  /** 0: a batch of `lane` is due now (full, or closing); otherwise ms until its oldest item is due. */
  private msUntilDue(lane: Lane): number {
    if (this.lanes.count(lane) >= this.sizes.limit(lane) || this.closing) return 0;
    const now = this.clock.now();
    const oldest = this.lanes.oldestEnqueuedAt(lane) ?? now;
    return Math.max(0, oldest + this.maxDelayMs - now);
  }

  /** `charged`: the pacer was charged for it and is told when its call is over. */
  private send(batch: Pending<I, O>[], lane: Lane, charged: boolean): void {
    this.inFlight[lane]++;
    const done = (async () => {
      try {
        const results = await this.execute(
          batch.map((pending) => pending.item),
          this.context,
        );
        if (results.length !== batch.length) {
          throw new Error(`execute returned ${results.length} results for ${batch.length} items`);
        }
        for (let i = 0; i < batch.length; i++) settleSink(batch[i]!.sink, true, results[i]!);
      } catch (error) {
        for (const pending of batch) settleSink(pending.sink, false, error);
      } finally {
        if (charged) this.pacer?.answered(batch.length);
        this.inFlight[lane]--;
        this.changes.notify();
      }
    })();
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }
}
