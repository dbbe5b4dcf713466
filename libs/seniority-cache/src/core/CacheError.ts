/**
 * The few ways a cache call can fail that a caller should act on, named by the gRPC status the
 * server maps them to (errorMiddleware). Independent of gRPC so in-process users (the augmenter)
 * get the same errors.
 */
export type CacheErrorCode = "UNAVAILABLE" | "RESOURCE_EXHAUSTED" | "INVALID_ARGUMENT" | "CANCELLED";

/** Brands every CacheError, so `instanceof` holds across two copies of this module (src and dist). */
const BRAND = Symbol.for("@seniority/seniority-cache/CacheError");

export class CacheError extends Error {
  override readonly name = "CacheError";

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && BRAND in value;
  }

  constructor(
    readonly code: CacheErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    Object.defineProperty(this, BRAND, { value: true });
  }
}
