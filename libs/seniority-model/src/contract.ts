/**
 * The model's contract (SPEC: /SeniorityModel/InferSeniority), as every hop speaks it: the model
 * itself, the caching proxy in front of it, and a proxy asking a peer.
 */

/** Levels are integers in MIN_LEVEL..MAX_LEVEL. */
export const MIN_LEVEL = 1;
export const MAX_LEVEL = 7;

/** The model takes at most this many items a call. */
export const MAX_BATCH_SIZE = 1000;

/**
 * Work classes of a call. Interactive work (small requests, or callers that say so) fills every
 * batch first, so another team's 10-pair call never waits behind a bulk backfill.
 */
export type Lane = "interactive" | "bulk";

/** Lanes in the order batches are filled. */
export const LANES: readonly Lane[] = Object.freeze(["interactive", "bulk"]);

/** Metadata key a gRPC caller sets to choose its lane (values: "interactive", "bulk"). */
export const PRIORITY_METADATA_KEY = "x-seniority-priority";

/** True for an integer level in MIN_LEVEL..MAX_LEVEL. */
export function isLevel(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= MIN_LEVEL && (value as number) <= MAX_LEVEL;
}
