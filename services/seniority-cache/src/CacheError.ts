/**
 * The few ways a cache call can fail that a caller should act on, named by the gRPC status the
 * server maps them to (errorMiddleware). Independent of gRPC so in-process users (the augmenter)
 * get the same errors.
 */
export type CacheErrorCode = "UNAVAILABLE" | "RESOURCE_EXHAUSTED" | "INVALID_ARGUMENT" | "CANCELLED";

export class CacheError extends Error {
  override readonly name = "CacheError";

  constructor(
    readonly code: CacheErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
