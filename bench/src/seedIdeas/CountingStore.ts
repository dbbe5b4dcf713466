import type { Store, StoreEntry, StoreScan } from "@seniority/seniority-cache";

/**
 * A store seen through a counter: every getMany, setMany and deleteMany that reaches it is one round
 * trip (each is one pipeline or script call whatever its size). Scans and close are forwarded
 * uncounted (the Bloom filter's rebuild is measured on its own).
 */
export class CountingStore implements Store, StoreScan {
  readonly kind: string;
  /** getMany calls so far. */
  reads = 0;
  /** setMany and deleteMany calls so far. */
  writes = 0;

  constructor(private readonly inner: Store & StoreScan) {
    this.kind = inner.kind;
  }

  /** Every counted call so far. */
  get roundTrips(): number {
    return this.reads + this.writes;
  }

  getMany(keys: readonly Buffer[]): Promise<(number | undefined)[]> {
    this.reads++;
    return this.inner.getMany(keys);
  }

  setMany(entries: readonly StoreEntry[]): Promise<void> {
    this.writes++;
    return this.inner.setMany(entries);
  }

  deleteMany(keys: readonly Buffer[]): Promise<number> {
    this.writes++;
    return this.inner.deleteMany(keys);
  }

  scanKeys(batchSize: number): AsyncIterable<Buffer[]> {
    return this.inner.scanKeys(batchSize);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
