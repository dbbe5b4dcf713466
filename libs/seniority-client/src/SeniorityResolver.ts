/** A (company, title) pair as given by the caller; matched byte for byte. */
export interface Pair {
  company: string;
  title: string;
}

/**
 * Anything that maps pairs to seniority levels (1..7): the gRPC client of the proxy, or an
 * in-process cache. `resolve` answers in request order, one level per pair.
 */
export interface SeniorityResolver {
  resolve(pairs: readonly Pair[], options?: { signal?: AbortSignal }): Promise<number[]>;
  /** Idempotent. */
  close(): Promise<void>;
}
