import { systemClock, type Clock } from "@seniority/clock";
import { CacheError } from "./CacheError.js";
import type { Flight } from "./Coalescer.js";
import { FifoQueue } from "./FifoQueue.js";
import { LANES, type Lane } from "@seniority/seniority-model";
import type { Pacer } from "./Pacer.js";

export interface MicroBatcherOptions<I, O> {
  /** Sends one batch; resolves to one result per item, in order. A rejection fails only this batch. */
  execute: (items: I[]) => Promise<O[]>;
  /** Items per batch (default 1000). */
  maxBatch?: number;
  /** How long the oldest queued item may wait for a batch to fill, in ms (default 5). */
  maxDelayMs?: number;
  /** Batches sent and not yet answered, at most, per lane (default 2). */
  maxInFlight?: number;
  /** Bulk items waiting for a batch, at most; past it submit() refuses (default 1,000,000). */
  maxQueued?: number;
  /** Interactive items waiting for a batch, at most (default: maxQueued / 10, at least maxBatch). */
  maxQueuedInteractive?: number;
  /** Pacing shared with anything else that sends to the model (default: none). */
  pacer?: Pacer;
  clock?: Clock;
}

/** A queued item's answer, shareable as a singleflight flight. */
export type BatchTicket<O> = Required<Flight<O>>;

/** Where enqueue() delivers an item's answer: called once, with the value or the batch's error. */
export interface BatchSink<O> {
  resolve(value: O): void;
  reject(error: unknown): void;
}

/** An item queued by enqueue(): pass it to promote(). Opaque to callers. */
export interface BatchSlot {
  readonly taken: boolean;
}

interface Pending<I, O> extends BatchSlot {
  readonly item: I;
  readonly enqueuedAt: number;
  lane: Lane;
  // guarded by: set once, when the item is put in a batch (it may sit in two lanes after promote)
  taken: boolean;
  readonly sink: BatchSink<O>;
}

/**
 * Groups items into batches (after graphql/dataloader, with time and lanes): a batch leaves when
 * `maxBatch` items wait or the oldest has waited `maxDelayMs`; interactive items leave first, in a
 * batch of their own, so they wait behind at most the batch the model is serving. A batch waits
 * for a free in-flight slot and then for the pacer, so the model is sent full batches under
 * backlog and never more than its capacity. Each lane has its own bound (bulk never fills the
 * interactive one). One loop does all scheduling.
 */
export class MicroBatcher<I, O> {
  private readonly execute: (items: I[]) => Promise<O[]>;
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private readonly maxInFlight: number;
  private readonly maxQueued: Record<Lane, number>;
  private readonly pacer: Pacer | undefined;
  private readonly clock: Clock;
  private readonly queues: Record<Lane, FifoQueue<Pending<I, O>>> = {
    interactive: new FifoQueue(),
    bulk: new FifoQueue(),
  };
  // guarded by: counts only items not yet taken, under their current lane
  private readonly counts: Record<Lane, number> = { interactive: 0, bulk: 0 };
  private readonly running = new Set<Promise<void>>();
  // guarded by: batches sent and not yet answered, by the lane they were filled from
  private readonly inFlight: Record<Lane, number> = { interactive: 0, bulk: 0 };
  private closing = false;
  private wake: (() => void) | undefined;
  private readonly loop: Promise<void>;
  private closed: Promise<void> | undefined;

  constructor(options: MicroBatcherOptions<I, O>) {
    this.execute = options.execute;
    this.pacer = options.pacer;
    // A batch larger than the model serves in a second would break the pacing; never build one.
    const maxBatch = positiveInteger("maxBatch", options.maxBatch ?? 1000);
    this.maxBatch = Math.min(maxBatch, this.pacer?.maxItemsPerSend ?? maxBatch);
    this.maxDelayMs = nonNegative("maxDelayMs", options.maxDelayMs ?? 5);
    this.maxInFlight = positiveInteger("maxInFlight", options.maxInFlight ?? 2);
    const maxQueued = positiveInteger("maxQueued", options.maxQueued ?? 1_000_000);
    this.maxQueued = {
      bulk: maxQueued,
      interactive: positiveInteger(
        "maxQueuedInteractive",
        options.maxQueuedInteractive ?? Math.max(Math.ceil(maxQueued / 10), this.maxBatch),
      ),
    };
    this.clock = options.clock ?? systemClock;
    this.loop = this.run();
  }

  /**
   * Queues every item or none: throws CacheError RESOURCE_EXHAUSTED when they would not fit, and
   * UNAVAILABLE once close() has begun. Each ticket settles when its batch is answered.
   */
  submit(items: readonly I[], lane: Lane): BatchTicket<O>[] {
    this.assertRoom(items.length, lane);
    const now = this.clock.now();
    const tickets = items.map((item) => {
      let sink!: BatchSink<O>;
      const promise = new Promise<O>((resolve, reject) => {
        sink = { resolve, reject };
      });
      promise.catch(() => {}); // waiters observe the rejection; nobody waiting is not an error
      const pending = this.push(item, lane, sink, now);
      return { promise, promote: () => this.promote(pending) };
    });
    if (items.length > 0) this.notify();
    return tickets;
  }

  /**
   * Like submit(), but each answer goes to `sinks[i]` instead of a promise: the batch, not the
   * item, is the unit of async work for callers that already hold a settle hook per item (no
   * promise or closure per item). Same refusals as submit().
   */
  enqueue(items: readonly I[], lane: Lane, sinks: readonly BatchSink<O>[]): BatchSlot[] {
    if (sinks.length !== items.length) throw new Error(`${items.length} items but ${sinks.length} sinks`);
    this.assertRoom(items.length, lane);
    const now = this.clock.now();
    const slots = new Array<BatchSlot>(items.length);
    for (let i = 0; i < items.length; i++) slots[i] = this.push(items[i]!, lane, sinks[i]!, now);
    if (items.length > 0) this.notify();
    return slots;
  }

  /** Moves an enqueued item ahead of bulk work (no-op once it is in a batch or already interactive). */
  promote(slot: BatchSlot): void {
    const pending = slot as Pending<I, O>;
    if (pending.taken || pending.lane === "interactive") return;
    this.counts.bulk--;
    this.counts.interactive++;
    pending.lane = "interactive";
    this.queues.interactive.push(pending); // its bulk entry is skipped once taken
  }

  /**
   * Throws what submit() would for `items` more items in `lane` (plus `alsoPending` of that lane
   * on their way to submit()): CacheError UNAVAILABLE once close() has begun, RESOURCE_EXHAUSTED
   * past the lane's bound.
   */
  assertRoom(items: number, lane: Lane, alsoPending = 0): void {
    if (this.closing) throw new CacheError("UNAVAILABLE", "the cache is shutting down");
    const queued = this.counts[lane] + alsoPending;
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
    return this.counts[lane];
  }

  get queued(): number {
    return this.counts.interactive + this.counts.bulk;
  }

  get inFlightBatches(): number {
    return this.inFlight.interactive + this.inFlight.bulk;
  }

  /** Idempotent: refuses new work, sends everything queued (paced as usual), waits for answers. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      this.notify();
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
        await this.changed(waitMs); // undefined: until work or an answer arrives
        continue;
      }
      // Interactive items leave as a batch of their own: the model answers a batch only when it
      // is done with all of it, so a small caller behind bulk work would wait a full batch more.
      let size = Math.min(this.counts[lane], this.batchLimit);
      // Small interactive batches take room in the model's second; a batch that does not fit
      // fills what is left when that is at least 90% of it (else it waits: batches stay full).
      const room = this.pacer?.room?.() ?? size;
      if (room < size && room * 10 >= size * 9) size = room;
      let paceMs = this.pacer?.reserve(size) ?? 0;
      if (typeof paceMs !== "number") paceMs = await paceMs; // only this loop takes items: `size` still wait
      if (paceMs > 0) {
        await this.changed(paceMs); // more work (or an answer) may arrive: the batch is resized
      } else {
        this.send(this.take(size, lane), lane, this.pacer !== undefined);
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
      if (this.counts[lane] === 0 || this.inFlight[lane] >= this.maxInFlight) continue;
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
    if (this.counts[lane] >= this.batchLimit || this.closing) return 0;
    const queue = this.queues[lane];
    while (queue.peek()?.taken) queue.shift();
    const oldest = queue.peek()?.enqueuedAt ?? this.clock.now();
    return Math.max(0, oldest + this.maxDelayMs - this.clock.now());
  }

  /** maxBatch, or less while the pacer allows less (pacing locally for several replicas). */
  private get batchLimit(): number {
    return Math.min(this.maxBatch, this.pacer?.maxItemsPerSend ?? this.maxBatch);
  }

  private take(size: number, lane: Lane): Pending<I, O>[] {
    const batch: Pending<I, O>[] = [];
    const queue = this.queues[lane];
    while (batch.length < size && queue.length > 0) {
      const pending = queue.shift()!;
      if (pending.taken) continue;
      pending.taken = true;
      this.counts[pending.lane]--;
      batch.push(pending);
    }
    return batch;
  }

  /** `charged`: the pacer was charged for it and is told when its call is over. */
  private send(batch: Pending<I, O>[], lane: Lane, charged: boolean): void {
    this.inFlight[lane]++;
    const done = (async () => {
      try {
        const results = await this.execute(batch.map((pending) => pending.item));
        if (results.length !== batch.length) {
          throw new Error(`execute returned ${results.length} results for ${batch.length} items`);
        }
        for (let i = 0; i < batch.length; i++) settle(batch[i]!.sink, true, results[i]!);
      } catch (error) {
        for (const pending of batch) settle(pending.sink, false, error);
      } finally {
        if (charged) this.pacer?.answered(batch.length);
        this.inFlight[lane]--;
        this.notify();
      }
    })();
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }

  private push(item: I, lane: Lane, sink: BatchSink<O>, now: number): Pending<I, O> {
    const pending: Pending<I, O> = { item, enqueuedAt: now, lane, taken: false, sink };
    this.queues[lane].push(pending);
    this.counts[lane]++;
    return pending;
  }

  /** Resolves at the next notify(), or after `timeoutMs` (its timer is cleared on wake). */
  private changed(timeoutMs?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = new AbortController();
      this.wake = () => {
        timer.abort();
        resolve();
      };
      if (timeoutMs === undefined) return;
      this.clock.sleep(timeoutMs, timer.signal).then(
        () => {
          this.wake = undefined;
          resolve();
        },
        () => {},
      );
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0)) throw new Error(`${name} must be >= 0, got ${value}`);
  return value;
}

/** A sink that throws must not stop the others in its batch from being settled. */
function settle<O>(sink: BatchSink<O>, ok: boolean, value: unknown): void {
  try {
    if (ok) sink.resolve(value as O);
    else sink.reject(value);
  } catch {
    // a caller's hook failed; the item is settled as far as the batcher is concerned
  }
}
