import type { Store, StoreEntry } from "@seniority/seniority-cache";

/** A store that counts its round trips (each getMany / setMany / deleteMany is one), delegating the rest. */
export class CountingStore implements Store {
  readonly kind: string;
  /** getMany calls so far. */
  reads = 0;
  /** setMany and deleteMany calls so far. */
  writes = 0;

  constructor(private readonly inner: Store) {
    this.kind = inner.kind;
  }

  /** Every call so far. */
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

  close(): Promise<void> {
    return this.inner.close();
  }
}
