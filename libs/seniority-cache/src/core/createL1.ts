import { LRUCache } from "lru-cache";
import { CompactL1 } from "./CompactL1.js";
import type { L1Cache, L1Kind } from "./L1Cache.js";

/** Default L1 capacity, entries. */
export const DEFAULT_L1_ENTRIES = 1_000_000;

/**
 * The L1 of a cache: CompactL1 (default; 16 bytes an entry, CLOCK eviction) or lru-cache's
 * LRUCache (~500 bytes an entry, exact LRU), holding at most `maxEntries`.
 */
export function createL1(kind: L1Kind, maxEntries: number): L1Cache {
  return kind === "lru" ? new LRUCache<string, number>({ max: maxEntries }) : new CompactL1({ maxEntries });
}
