/** Names of the output object's metadata (S3 user metadata, x-amz-meta-*). */
export const OutputMetadata = {
  sourceEtag: "source-etag",
  /** The cache namespace the levels came from (cacheNamespace: model version, normalization, model). */
  namespace: "cache-namespace",
  linesIn: "lines-in",
  linesOut: "lines-out",
  linesBad: "lines-bad",
} as const;
