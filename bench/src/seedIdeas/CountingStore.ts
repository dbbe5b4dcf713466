import type { Store, StoreEntry } from "@seniority/seniority-cache";

/** A store that counts its round trips (getMany and setMany calls) on the way to another. */
export class CountingStore implements Store {
  readonly kind: string;
  roundTrips = 0;

  constructor(private readonly inner: Store) {
    this.kind = inner.kind;
  }

  getMany(keys: readonly Buffer[]): Promise<(number | undefined)[]> {
    this.roundTrips++;
    return this.inner.getMany(keys);
  }

  setMany(entries: readonly StoreEntry[]): Promise<void> {
    this.roundTrips++;
    return this.inner.setMany(entries);
  }

  deleteMany(keys: readonly Buffer[]): Promise<number> {
    this.roundTrips++;
    return this.inner.deleteMany(keys);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
