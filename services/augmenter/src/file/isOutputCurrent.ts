import type { ObjectMetadata } from "@seniority/object-store";
import { OutputMetadata } from "./OutputMetadata.js";

/**
 * The exactly-once rule's one question: is this output the finished answer for this input? Only
 * when it was made from these very bytes (its `source-etag` is the input's ETag) AND with levels
 * from the namespace asked for now (`cache-namespace`), so outputs made with simulated levels, or
 * with another model version or normalization, are redone. `namespace` undefined asks for an
 * output written without one (library callers that do not name their namespace).
 */
export function isOutputCurrent(
  output: { metadata: ObjectMetadata } | undefined,
  sourceEtag: string,
  namespace: string | undefined,
): boolean {
  return (
    output !== undefined &&
    output.metadata[OutputMetadata.sourceEtag] === sourceEtag &&
    output.metadata[OutputMetadata.namespace] === namespace
  );
}
