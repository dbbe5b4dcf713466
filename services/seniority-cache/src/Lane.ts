/**
 * Work classes of the batcher. Interactive work (small requests, or callers that say so) fills
 * every batch first, so another team's 10-pair call never waits behind a bulk backfill.
 */
export type Lane = "interactive" | "bulk";

/** Lanes in the order batches are filled. */
export const LANES: readonly Lane[] = Object.freeze(["interactive", "bulk"]);

/** Metadata key a gRPC caller sets to choose its lane (values: "interactive", "bulk"). */
export const PRIORITY_METADATA_KEY = "x-seniority-priority";
