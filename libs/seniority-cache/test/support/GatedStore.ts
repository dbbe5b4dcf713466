import type { Store, StoreEntry } from "../../src/stores/Store.js";
import type { StoreScan } from "../../src/stores/StoreScan.js";

/** A gate: `wait` pends until `open()`; reopened by `close()`. */
class Gate {
  private release: (() => void) | undefined;
  private pending: Promise<void> | undefined;
  get wait(): Promise<void> {
    return this.pending ?? Promise.resolve();
  }
  close(): void {
    this.pending ??= new Promise((resolve) => (this.release = resolve));
  }
  open(): void {
    this.release?.();
    this.pending = this.release = undefined;
  }
}

/**
 * A real store (LMDB, Redis, memory) seen through a recorder: every getMany's keys are kept (hex),
 * and writes or scan batches can be held at a gate, to test what a reader sees meanwhile.
 */
export class GatedStore implements Store, StoreScan {
  readonly kind: string;
  /** The keys (hex) of each getMany, in call order. */
  readonly reads: string[][] = [];
  readonly writes = new Gate();
  /** Closed: the scan holds before each batch. */
  readonly scan = new Gate();
  closes = 0;

  constructor(readonly inner: Store & StoreScan) {
    this.kind = inner.kind;
  }

  getMany(keys: readonly Buffer[]): Promise<(number | undefined)[]> {
    this.reads.push(keys.map((key) => key.toString("hex")));
    return this.inner.getMany(keys);
  }

  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    await this.writes.wait;
    return this.inner.setMany(entries);
  }

  deleteMany(keys: readonly Buffer[]): Promise<number> {
    return this.inner.deleteMany(keys);
  }

  async *scanKeys(batchSize: number): AsyncGenerator<Buffer[]> {
    for await (const batch of this.inner.scanKeys(batchSize)) {
      await this.scan.wait;
      yield batch;
    }
  }

  close(): Promise<void> {
    this.closes++;
    return this.inner.close();
  }
}
