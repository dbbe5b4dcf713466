import type { SeniorityPair } from "./SeniorityPair.js";

export interface ModelCallOptions {
  signal?: AbortSignal;
  /**
   * Awaited before each resend of a batch with its size, so retries are paced like first sends
   * (the cache passes its pacer here).
   */
  beforeRetry?: (items: number, signal: AbortSignal) => Promise<void>;
}

/**
 * What the cache needs from the model: levels for a batch, in order, every one validated.
 * Implementations reject with CacheError("UNAVAILABLE") when they cannot answer the whole batch.
 * ModelClient is the gRPC one; tests and in-process users may bring their own.
 */
export interface ModelBackend {
  infer(pairs: readonly SeniorityPair[], options?: ModelCallOptions): Promise<number[]>;
  close(): Promise<void>;
  /** Circuit breaker state, when the backend has one ("Open" = failing fast). */
  readonly circuit?: string;
  /**
   * Most items sent in any sliding 1 s window since the previous call (resends included), when
   * the backend counts its sends; read at each scrape (seniority_cache_model_peak_items_per_second).
   */
  takePeakItemsPerSecond?(): number;
}
