/**
 * The persistent tier behind L1. Keys are 16-byte pair keys from @seniority/pair-key; values are
 * levels 1..7. Answers are immutable within a namespace, so a store never needs to update a value.
 *
 * Every method is one round trip however many keys it gets (pipelined in Redis); an implementation
 * throws (never hangs past its own command timeout) when its backend is unreachable, and the caller
 * decides how to degrade.
 *
 * A storage port only: replica coordination over a shared backend (Redis) is not part of it; see
 * OpenedStore.coordination.
 */
export interface Store {
  /** "memory", "redis-compact", "redis-keys", "lmdb" — for logs and metric labels. */
  readonly kind: string;
  /** Levels in the order of `keys`; undefined where the store has no answer. */
  getMany(keys: readonly Buffer[]): Promise<(number | undefined)[]>;
  setMany(entries: readonly StoreEntry[]): Promise<void>;
  /** Removes the keys; resolves to how many were present. */
  deleteMany(keys: readonly Buffer[]): Promise<number>;
  /** Idempotent; waits for buffered writes to reach the backend. */
  close(): Promise<void>;
}

export interface StoreEntry {
  key: Buffer;
  level: number;
}
