// The caching proxy's public API: the in-process cache (the augmenter embeds it), its server and
// service, the CLI commands, and the stores.
export { SeniorityCache } from "./SeniorityCache.js";
export type {
  SeniorityCacheOptions,
  SeniorityCacheTuning,
  InferOptions,
  CachedLookup,
  SeniorityCacheStats,
} from "./SeniorityCacheOptions.js";
export {
  openSeniorityCache,
  DEFAULT_STORE_SPEC,
  type OpenSeniorityCacheConfig,
} from "./openSeniorityCache.js";
export type { SeniorityPair } from "@seniority/seniority-model";
export { CompactL1, COMPACT_L1_SLOT_BYTES, type CompactL1Options, type SlotHash } from "./CompactL1.js";
export { createL1, DEFAULT_L1_ENTRIES } from "./createL1.js";
export { L1_KINDS, type L1Cache, type L1Kind } from "./L1Cache.js";
export { CacheError, type CacheErrorCode } from "./CacheError.js";
export { PRIORITY_METADATA_KEY, LANES, type Lane } from "@seniority/seniority-model";
export type { ModelBackend } from "./ModelBackend.js";
export { ModelHop, type ModelHopOptions } from "./ModelHop.js";
export { CacheMetrics } from "./CacheMetrics.js";
export { CacheServer, DEFAULT_MAX_MESSAGE_BYTES, type CacheServerOptions } from "./CacheServer.js";
export { CacheService, type CacheServiceConfig } from "./CacheService.js";
export { DEFAULT_REQUEST_LIMITS, type RequestLimits } from "./RequestLimits.js";
export { createCacheCommand } from "./createCacheCommand.js";
export {
  queueHeapBudget,
  queueHeapProblem,
  QUEUED_ITEM_BYTES,
  type QueueHeapBudget,
} from "./queueHeapBudget.js";
export { createAdminCommand } from "./createAdminCommand.js";
export * from "./store/index.js";
