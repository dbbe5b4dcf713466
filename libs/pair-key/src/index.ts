export type { NormalizationMode } from "./NormalizationMode.js";
export { NORMALIZATION_MODES } from "./NormalizationMode.js";
export { normalizeText } from "./normalizeText.js";
export { pairKey, PAIR_KEY_BYTES } from "./pairKey.js";
export { cacheNamespace, KEY_ENCODING_VERSION } from "./cacheNamespace.js";
export { spellingKey } from "./spellingKey.js";
export type { ModelIdentity } from "./ModelIdentity.js";
export { MODEL_IDENTITIES } from "./ModelIdentity.js";
export { parseNamespace, type NamespaceParts } from "./parseNamespace.js";
