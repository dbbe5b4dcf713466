import { ServerError, Status } from "nice-grpc";

/** Per-request limits of the gRPC API (each a CLI flag). */
export interface RequestLimits {
  /** Items per request (default 100,000; --max-items). */
  maxItems: number;
  /** UTF-8 bytes per company or title (default 1,024; --max-field-bytes). */
  maxFieldBytes: number;
}

const FIELDS = ["company", "title"] as const;

export const DEFAULT_REQUEST_LIMITS: RequestLimits = { maxItems: 100_000, maxFieldBytes: 1024 };

/**
 * Throws INVALID_ARGUMENT naming the limit, the flag and the offending item (its uuid, or its
 * position when items have none) for the first item over a limit.
 */
export function checkRequestLimits(
  items: readonly { company: string; title: string; uuid?: number }[],
  limits: RequestLimits,
): void {
  if (items.length > limits.maxItems) {
    throw new ServerError(
      Status.INVALID_ARGUMENT,
      `too many items: ${items.length}; the limit is ${limits.maxItems} per request (--max-items)`,
    );
  }
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    for (const field of FIELDS) {
      const text = item[field];
      // UTF-8 takes at most 3 bytes per UTF-16 unit: short strings need no byte count.
      if (text.length * 3 <= limits.maxFieldBytes) continue;
      const bytes = Buffer.byteLength(text, "utf8");
      if (bytes > limits.maxFieldBytes) {
        const which = item.uuid === undefined ? `pair #${index}` : `uuid ${item.uuid}`;
        throw new ServerError(
          Status.INVALID_ARGUMENT,
          `${field} of ${which} is ${bytes} bytes; the limit is ${limits.maxFieldBytes} bytes (--max-field-bytes)`,
        );
      }
    }
  }
}
