/**
 * retireNamespace refused: a cache replica heartbeat in the namespace recently, so it is in use.
 * Retiring it anyway (`force`) makes those replicas miss every pair and ask the model again.
 */
export class NamespaceLiveError extends Error {
  override readonly name = "NamespaceLiveError";
}
