import type { Store, StoreEntry, StoreScan } from "@seniority/seniority-cache";

/**
 * A store seen through a counter: every getMany and setMany that reaches it is one round trip
 * (each is one pipeline or script call whatever its size). Scans, coordination and close are
 * forwarded uncounted (the rebuild is measured on its own; claims are the same in every variant).
 */
export class RoundTripCounter implements Store, StoreScan {
  readonly kind: string;
  readonly openCoordination?: Store["openCoordination"];
  reads = 0;
  writes = 0;
  keysRead = 0;

  constructor(private readonly inner: Store & StoreScan) {
    this.kind = inner.kind;
    if (inner.openCoordination) this.openCoordination = inner.openCoordination.bind(inner);
  }

  /** getMany + setMany calls so far. */
  get roundTrips(): number {
    return this.reads + this.writes;
  }

  getMany(keys: readonly Buffer[]): Promise<(number | undefined)[]> {
    this.reads++;
    this.keysRead += keys.length;
    return this.inner.getMany(keys);
  }

  setMany(entries: readonly StoreEntry[]): Promise<void> {
    this.writes++;
    return this.inner.setMany(entries);
  }

  deleteMany(keys: readonly Buffer[]): Promise<number> {
    return this.inner.deleteMany(keys);
  }

  scanKeys(batchSize: number): AsyncIterable<Buffer[]> {
    return this.inner.scanKeys(batchSize);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
