/** Names of the output object's metadata (S3 user metadata, x-amz-meta-*). */
export const OutputMetadata = {
  sourceEtag: "source-etag",
  /** The cache namespace the levels came from (cacheNamespace: model version, normalization, model). */
  namespace: "cache-namespace",
  linesIn: "lines-in",
  linesOut: "lines-out",
  linesBad: "lines-bad",
  /**
   * Lines written with `"seniority": null` (deferred by `--rare-pairs defer`, queued for the
   * backfill); "0" on an output the backfill rewrote. Absent on outputs written with the policy off.
   */
  seniorityPending: "seniority-pending",
} as const;
