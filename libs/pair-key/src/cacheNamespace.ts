import { hash } from "node:crypto";
import { assertModelIdentity, type ModelIdentity } from "./ModelIdentity.js";
import { assertNormalizationMode, type NormalizationMode } from "./NormalizationMode.js";

const MODE_TAGS: Record<NormalizationMode, string> = { exact: "ex", standard: "std", casefold: "cf" };
const MODEL_TAGS: Record<ModelIdentity, string> = { model: "m", sim: "sim" };

// A version made only of these characters is used as written; anything else (":", "{", spaces, very
// long strings …) is replaced by "~" + 16 hex digits of its SHA-256. "~" never occurs in a
// verbatim version, so the two forms cannot collide.
const VERBATIM_VERSION = /^[A-Za-z0-9._-]{1,40}$/;

/**
 * A short namespace for cached answers, e.g. `cacheNamespace("v1", "standard", "model") ===
 * "v1:std:m"`. Different model versions, modes or model identities always give different
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
  return `${version}:${MODE_TAGS[mode]}:${MODEL_TAGS[model]}`;
}
