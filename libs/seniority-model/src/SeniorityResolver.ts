import type { SeniorityPair } from "./SeniorityPair.js";

export interface ResolveOptions {
  signal?: AbortSignal;
  /**
   * Awaited before each resend of a batch with its size, so retries can be paced like first sends
   * (the cache passes its pacer here). Resolvers that never resend ignore it.
   */
  beforeRetry?: (items: number, signal: AbortSignal) => Promise<void>;
}

/**
 * The one port of the system: pairs → levels (1..7), one level per pair, in request order. The
 * model's gRPC client, the caching proxy's client, the in-process cache and a peer replica all
 * implement it, so every hop has "the same interface as the model".
 */
export interface SeniorityResolver {
  resolve(pairs: readonly SeniorityPair[], options?: ResolveOptions): Promise<number[]>;
  /** Idempotent. */
  close(): Promise<void>;
}
