import { keyTimestamp } from "./keyTimestamp.js";

/**
 * The smallest timestamp the names of `keys` state (keyTimestamp), or `floor` when smaller or none
 * has one. A loop, not Math.min(...): a backlog of 130,000 keys overflows the call stack as arguments.
 */
export function oldestTimestamp(keys: Iterable<string>, floor?: number): number | undefined {
  let oldest = floor;
  for (const key of keys) {
    const stamp = keyTimestamp(key);
    if (stamp !== undefined && (oldest === undefined || stamp < oldest)) oldest = stamp;
  }
  return oldest;
}
