import type { ModelIdentity } from "./ModelIdentity.js";
import type { NormalizationMode } from "./NormalizationMode.js";

/** The parts of a namespace cacheNamespace() made. */
export interface NamespaceParts {
  /** The model version as written, or "~" + 16 hex digits of its SHA-256. */
  version: string;
  mode: NormalizationMode;
  /** The mode as the namespace spells it ("std", "cl1" …): cluster modes of other rule versions differ here. */
  modeTag: string;
  identity: ModelIdentity;
  /** The key encoding, e.g. "k2" (KEY_ENCODING_VERSION when made by this version). */
  encoding: string;
}

const MODES: Record<string, NormalizationMode> = { ex: "exact", std: "standard", cf: "casefold" };
// cluster: "cl" + its rules' version (see cacheNamespace), any version.
const IDENTITIES: Record<string, ModelIdentity> = { m: "model", sim: "sim" };
const SHAPE = /^([A-Za-z0-9._-]{1,40}|~[0-9a-f]{16}):(ex|std|cf|cl\d+):(m|sim):(k\d+)$/;

/**
 * The inverse of cacheNamespace: `"v1:std:m:k2"` → { version "v1", mode "standard", identity
 * "model", encoding "k2" }. Throws an Error naming the expected shape for anything else.
 */
export function parseNamespace(namespace: string): NamespaceParts {
  const match = SHAPE.exec(namespace);
  if (!match) {
    throw new Error(
      `not a cache namespace: "${namespace}" (expected <model version>:<ex|std|cf|cl<n>>:<m|sim>:k<n>, e.g. v1:std:m:k2)`,
    );
  }
  const modeTag = match[2]!;
  return {
    version: match[1]!,
    mode: MODES[modeTag] ?? "cluster",
    modeTag,
    identity: IDENTITIES[match[3]!]!,
    encoding: match[4]!,
  };
}
