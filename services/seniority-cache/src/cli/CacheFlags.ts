import type { GrpcServerFlags } from "@seniority/cli-options";
import type { ModelIdentity, NormalizationMode } from "@seniority/pair-key";
import type { L1Kind } from "@seniority/seniority-cache";

/** The parsed flags of `seniority cache` (see createCacheCommand). */
export interface CacheFlags extends GrpcServerFlags {
  host: string;
  port: number;
  httpPort: number;
  adminPort?: number;
  adminHost: string;
  adminTokenFile?: string;
  model: string;
  store: string;
  redisLayout: "compact" | "keys";
  redisKeyPrefix?: string;
  redisTlsCa?: string;
  redisTlsCert?: string;
  redisTlsKey?: string;
  redisPasswordFile?: string;
  redisBuckets?: number;
  redisPartitions?: number;
  expectedPairs: number;
  ttl: number;
  bloom: boolean;
  /** False positive rate at expectedPairs. */
  bloomFpRate: number;
  /** Milliseconds. */
  bloomRebuildTimeout: number;
  normalization: NormalizationMode;
  modelVersion: string;
  modelIdentity: ModelIdentity;
  l1Entries: number;
  l1: L1Kind;
  maxBatch: number;
  maxDelayMs: number;
  maxInFlight: number;
  /** Milliseconds. */
  bulkSliceMs: number;
  modelCapacity: number;
  paceMarginMs: number | undefined;
  paceLeadMs: number;
  sharedPacing: boolean;
  replicasHint: number;
  peerAddress?: string;
  claimTtlMs: number;
  maxQueued: number;
  maxQueuedInteractive: number;
  interactiveMaxItems: number;
  modelTimeoutMs: number;
  modelRetries: number;
  breakerFailures: number;
  breakerHalfOpenMs: number;
  maxItems: number;
  maxFieldBytes: number;
  maxMessageBytes: number;
}

/** The flags as parsed: the queue bounds are derived from the heap when not given (see checkCacheFlags). */
export type ParsedCacheFlags = Omit<CacheFlags, "maxQueued" | "maxQueuedInteractive"> & {
  maxQueued?: number;
  maxQueuedInteractive?: number;
};
