import type { Lane } from "@seniority/seniority-model";
import type { BatchTicket } from "./BatchFlight.js";
import type { MissItem } from "./ModelBatchExecutor.js";

/**
 * Where the cache sends the misses the singleflight starts: the micro-batcher itself, or, with
 * replicas on one Redis, the claims decorator around it (ClaimingBatcher). One flight per item;
 * throws before anything is queued (CacheError UNAVAILABLE when closing, RESOURCE_EXHAUSTED past
 * the lane's bound).
 */
export interface MissQueue {
  /** `forwarded`: asked by a peer replica that forwarded the pairs here (never forwarded again). */
  submit(items: readonly MissItem[], lane: Lane, forwarded?: boolean): BatchTicket<number>[];
}
