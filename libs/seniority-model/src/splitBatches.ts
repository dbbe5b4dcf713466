import type { SeniorityPair } from "./SeniorityPair.js";

/** ~8 bytes of protobuf framing an item besides the two strings. */
const ITEM_FRAMING_BYTES = 8;

/**
 * Cuts pairs into batches of at most `maxItems` items and `maxBytes` bytes of strings (a lone
 * larger pair goes alone), in order.
 */
export function splitBatches<P extends SeniorityPair>(
  pairs: readonly P[],
  maxItems: number,
  maxBytes: number,
): P[][] {
  const batches: P[][] = [];
  let batch: P[] = [];
  let bytes = 0;
  for (const pair of pairs) {
    const size = Buffer.byteLength(pair.company) + Buffer.byteLength(pair.title) + ITEM_FRAMING_BYTES;
    if (batch.length === maxItems || (batch.length > 0 && bytes + size > maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(pair);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
