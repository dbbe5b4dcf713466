import { hash } from "node:crypto";
import { CLUSTER_RULES_VERSION } from "./clusterText.js";
import { assertModelIdentity, type ModelIdentity } from "./ModelIdentity.js";
import { assertNormalizationMode, type NormalizationMode } from "./NormalizationMode.js";

// `cluster` carries its rules' version ("cl1"): new rules never read answers keyed by old ones.
const MODE_TAGS: Record<NormalizationMode, string> = {
  exact: "ex",
  standard: "std",
  casefold: "cf",
  cluster: `cl${CLUSTER_RULES_VERSION}`,
};
const MODEL_TAGS: Record<ModelIdentity, string> = { model: "m", sim: "sim" };

// A version made only of these characters is used as written; anything else (":", "{", spaces, very
// long strings …) is replaced by "~" + 16 hex digits of its SHA-256. "~" never occurs in a
// verbatim version, so the two forms cannot collide.
const VERBATIM_VERSION = /^[A-Za-z0-9._-]{1,40}$/;

/**
 * The version of the pair-key encoding, the last component of every namespace. Bumped whenever the
 * bytes a pair is keyed by, or the way a spelling finds its key, change — so entries written under
 * an older encoding are never read under the new one. "k2": spellings are memoized by a
 * length-prefixed identity (spellingKey); before, ("X\0Intern", "CEO") and ("X", "Intern\0CEO")
 * shared a memo entry, so one pair's answer could be stored under the other's key.
 */
export const KEY_ENCODING_VERSION = "k2";

/**
 * A short namespace for cached answers, e.g. `cacheNamespace("v1", "standard", "model") ===
 * "v1:std:m:k2"`: model version, mode, model identity, key encoding (KEY_ENCODING_VERSION).
 * Different model versions, modes, model identities or encodings always give different
 * namespaces, so changing any of them never mixes answers; in particular simulated answers
 * (`sim`) are never read by a cache in front of a real model. The result contains only
 * `[A-Za-z0-9._~:-]`: safe inside Redis keys and hash tags (no braces) and as an LMDB database
 * name. It is also written into each augmented file's metadata (the augmenter's exactly-once rule).
 */
export function cacheNamespace(modelVersion: string, mode: NormalizationMode, model: ModelIdentity): string {
  assertNormalizationMode(mode);
  assertModelIdentity(model);
  if (modelVersion.length === 0) throw new Error("modelVersion must not be empty");
  const version = VERBATIM_VERSION.test(modelVersion)
    ? modelVersion
    : `~${hash("sha256", modelVersion, "hex").slice(0, 16)}`;
  return `${version}:${MODE_TAGS[mode]}:${MODEL_TAGS[model]}:${KEY_ENCODING_VERSION}`;
}
