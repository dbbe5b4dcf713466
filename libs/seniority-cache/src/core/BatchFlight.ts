import type { Flight } from "./Coalescer.js";

/** Where a batcher delivers an item's answer: called once, with the value or the batch's error. */
export interface BatchSink<O> {
  resolve(value: O): void;
  reject(error: unknown): void;
}

/** An item queued in a batcher: hand it back to promote(). Opaque to callers. */
export interface BatchSlot {
  readonly taken: boolean;
}

/** A queued item's answer, shareable as a singleflight flight. */
export type BatchTicket<O> = Required<Flight<O>>;

/** What a BatchFlight promotes through, once its item is queued. */
export interface Promoter {
  promote(slot: BatchSlot): void;
}

/**
 * One item's answer as a flight (promise + promote) and as the sink the batcher settles: one object
 * and one promise a pair, however many layers it passes. `slot` is set once the item is queued;
 * promote() before that is remembered by the subclass's lane, if it has one.
 */
export class BatchFlight<O> implements BatchSink<O>, BatchTicket<O> {
  readonly promise: Promise<O>;
  readonly resolve!: (value: O) => void;
  readonly reject!: (error: unknown) => void;
  // guarded by: set once the item is in the batcher (promote goes there from then on)
  slot: BatchSlot | undefined;
  protected promoter: Promoter | undefined;

  constructor() {
    this.promise = new Promise<O>((resolve, reject) => {
      (this as { resolve: BatchFlight<O>["resolve"] }).resolve = resolve;
      (this as { reject: BatchFlight<O>["reject"] }).reject = reject;
    });
    this.promise.catch(() => {}); // waiters observe the rejection; nobody waiting is not an error
  }

  /** The item is queued: promote() moves it ahead from now on. */
  queued(slot: BatchSlot, promoter: Promoter): void {
    this.slot = slot;
    this.promoter = promoter;
  }

  promote(): void {
    if (this.slot) this.promoter?.promote(this.slot);
  }
}

/** Settles `sink`; a sink that throws must not stop the others in its batch from being settled. */
export function settleSink<O>(sink: BatchSink<O>, ok: boolean, value: unknown): void {
  try {
    if (ok) sink.resolve(value as O);
    else sink.reject(value);
  } catch {
    // a caller's hook failed; the item is settled as far as the batcher is concerned
  }
}
