import { MemoryStore, type Store, type StoreEntry, type StoreScan } from "../../src/stores/index.js";

/**
 * A MemoryStore that can be switched off: while `down`, every call throws at once (as RedisStore
 * does while disconnected). Counts calls per method.
 */
export class FlakyStore implements Store, StoreScan {
  readonly kind = "flaky";
  readonly inner = new MemoryStore();
  down = false;
  readonly calls = { getMany: 0, setMany: 0, deleteMany: 0, close: 0 };

  async getMany(keys: readonly Buffer[]): Promise<(number | undefined)[]> {
    this.calls.getMany++;
    this.check();
    return this.inner.getMany(keys);
  }

  async setMany(entries: readonly StoreEntry[]): Promise<void> {
    this.calls.setMany++;
    this.check();
    return this.inner.setMany(entries);
  }

  async deleteMany(keys: readonly Buffer[]): Promise<number> {
    this.calls.deleteMany++;
    this.check();
    return this.inner.deleteMany(keys);
  }

  async *scanKeys(batchSize: number): AsyncGenerator<Buffer[]> {
    this.check();
    yield* this.inner.scanKeys(batchSize);
  }

  async close(): Promise<void> {
    this.calls.close++;
  }

  private check(): void {
    if (this.down) throw new Error("connection refused");
  }
}
