// The caching core, usable in-process: the request path (L1, coalescing, micro-batching, pacing),
// the stores (memory, LMDB, Redis layouts) and replica coordination (claims, shared pacing,
// invalidation, peer ownership). The gRPC server around it is services/seniority-cache.
export { SeniorityCache } from "./core/SeniorityCache.js";
export type {
  SeniorityCacheOptions,
  SeniorityCacheTuning,
  InferOptions,
  CachedLookup,
  SeniorityCacheStats,
} from "./core/SeniorityCacheOptions.js";
export {
  openSeniorityCache,
  DEFAULT_STORE_SPEC,
  type OpenSeniorityCacheConfig,
  type BloomConfig,
} from "./core/openSeniorityCache.js";
export { CompactL1, COMPACT_L1_SLOT_BYTES, type CompactL1Options, type SlotHash } from "./core/CompactL1.js";
export { createL1, DEFAULT_L1_ENTRIES } from "./core/createL1.js";
export { L1_KINDS, type L1Cache, type L1Kind } from "./core/L1Cache.js";
export { CacheError, type CacheErrorCode } from "./core/CacheError.js";
export type { ModelBackend } from "./core/ModelBackend.js";
export { ModelHop, type ModelHopOptions } from "./core/ModelHop.js";
export { CacheMetrics } from "./core/CacheMetrics.js";
export { DEFAULT_PACE_LEAD_MS, DEFAULT_PACE_MARGIN_MS } from "./core/createPacer.js";
export { DEFAULT_BULK_SLICE_MS } from "./core/BatchSizes.js";
export {
  queueHeapBudget,
  queueHeapProblem,
  QUEUED_ITEM_BYTES,
  type QueueHeapBudget,
} from "./core/queueHeapBudget.js";
export { FORWARDED_METADATA_KEY } from "./replicas/PeerForwarder.js";
export * from "./stores/index.js";
export * from "./transfer/index.js";
