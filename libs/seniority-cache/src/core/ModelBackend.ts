import type { SeniorityResolver } from "@seniority/seniority-model";

/**
 * What the cache needs from the model: the one port (pairs → validated levels, in order).
 * Implementations reject with CacheError("UNAVAILABLE") when they cannot answer the whole batch
 * (ModelHop turns the gRPC client's failures into that); tests and in-process users may bring
 * their own.
 */
export interface ModelBackend extends SeniorityResolver {
  /** Circuit breaker state, when the backend has one ("Open" = failing fast). */
  readonly circuit?: string | undefined;
  /**
   * Most items sent in any sliding 1 s window since the previous call (resends included), when
   * the backend counts its sends; read at each scrape (seniority_cache_model_peak_items_per_second).
   */
  takePeakItemsPerSecond?(): number;
}
