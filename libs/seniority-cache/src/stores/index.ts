export type { Store, StoreEntry } from "./Store.js";
export type {
  ClaimOutcome,
  CoordinationFactory,
  CoordinationOptions,
  ReplicaCoordination,
} from "../replicas/ReplicaCoordination.js";
export { openStore, type OpenStoreOptions } from "./openStore.js";
export type { OpenedStore } from "./OpenedStore.js";
export { MemoryStore, DEFAULT_MEMORY_STORE_ENTRIES } from "./MemoryStore.js";
export { LmdbStore, DEFAULT_LMDB_PATH, type LmdbStoreOptions } from "./LmdbStore.js";
export { RedisStore, DEFAULT_KEY_PREFIX, type RedisStoreOptions } from "./RedisStore.js";
export { DEFAULT_BUCKETS, COMPACT_FIELD_BYTES } from "./RedisKeys.js";
export { LayoutMismatchError } from "./LayoutMismatchError.js";
export { DEFAULT_CLUSTER_PARTITIONS } from "./checkRedisLayout.js";
export { partitionTags, MAX_PARTITIONS } from "./partitionTags.js";
export { bucketsFor, expectedFullestBucket, DEFAULT_EXPECTED_PAIRS } from "./bucketsFor.js";
export { canScan, type StoreScan } from "./StoreScan.js";
export {
  BloomGuardedStore,
  DEFAULT_BLOOM_REBUILD_TIMEOUT_MS,
  type BloomGuardOptions,
  type BloomState,
} from "./BloomGuardedStore.js";
export { BloomMetrics, type BloomCheck } from "./BloomMetrics.js";
export {
  bloomSizing,
  DEFAULT_BLOOM_FP_RATE,
  MAX_BLOOM_BITS,
  PairBloom,
  type BloomSizing,
} from "./PairBloom.js";
export { BloomRebuildTimeout } from "./rebuildBloom.js";
export { StoreFullError } from "./StoreFullError.js";
export {
  retireNamespace,
  DEFAULT_RETIRE_BATCH,
  DEFAULT_RETIRE_PAUSE_MS,
  type RetireNamespaceOptions,
  type RetireProgress,
} from "./retireNamespace.js";
export { NamespaceLiveError } from "./NamespaceLiveError.js";
export {
  isEntrySource,
  keyFormsMatch,
  DEFAULT_ENTRIES_BATCH,
  type EntryKeyForm,
  type EntriesOptions,
  type StoreEntrySource,
} from "./StoreEntrySource.js";
export { compactEntryKey } from "./scanCompactEntries.js";
