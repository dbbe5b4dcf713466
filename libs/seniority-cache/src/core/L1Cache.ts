/**
 * The in-process answer cache in front of the store, keyed by the hex of a 16-byte pair key
 * (32 lowercase hex digits), holding levels 1..7. Bounded by entries; answers are immutable within
 * a namespace, so there is no TTL. `lru-cache`'s LRUCache<string, number> satisfies it as is;
 * CompactL1 is the small-memory implementation (see createL1).
 */
export interface L1Cache {
  /** The level of `hex`, counting as a use (it protects the entry from eviction). */
  get(hex: string): number | undefined;
  /** The level of `hex` without counting as a use. */
  peek(hex: string): number | undefined;
  /** Adds or replaces an entry, evicting another one when full. */
  set(hex: string, level: number): unknown;
  /** Removes `hex`; true if it was there. */
  delete(hex: string): boolean;
  /** Entries held (never above the capacity). */
  readonly size: number;
}

/** Which L1 implementation a cache uses: CompactL1 (default) or lru-cache's LRUCache. */
export type L1Kind = "compact" | "lru";

export const L1_KINDS: readonly L1Kind[] = ["compact", "lru"];
