/**
 * A write the store refused because it is full — Redis at `maxmemory` under
 * `maxmemory-policy noeviction` (or with nothing evictable under a `volatile-*` policy) answers
 * writes with "OOM command not allowed…". The store still answers reads, so this is not an outage:
 * ResilientStore counts the write as refused and drops it (replaying it would fail the same way)
 * instead of serving degraded.
 */
export class StoreFullError extends Error {
  override readonly name = "StoreFullError";
}

/** True for Redis' reply to a write refused at maxmemory ("OOM command not allowed …"). */
export function isRedisOom(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("OOM ");
}
