/**
 * How much two spellings of a (company, title) pair may differ and still share one cache entry.
 * - `exact`: the strings as given (code units unchanged).
 * - `standard` (the default): differences no reader would see — Unicode NFKC, trimmed, every run
 *   of Unicode whitespace collapsed to one space.
 * - `casefold`: `standard` plus lower-casing; opt-in, because it assumes the model ignores case.
 * - `cluster`: `casefold` plus canonical title forms (TITLE_CLUSTER_RULES: "Sr." → senior,
 *   "Engineer II" → "engineer 2", "Engineer, Senior" → "senior engineer" …) and legal-suffix
 *   spellings of company names (COMPANY_CLUSTER_RULES); opt-in, because the spelling the model is
 *   sent first answers every spelling of its cluster (docs/title-clustering.md has the measured
 *   disagreement).
 */
export type NormalizationMode = "exact" | "standard" | "casefold" | "cluster";

/** Every mode, in order of how much they merge. */
export const NORMALIZATION_MODES: readonly NormalizationMode[] = Object.freeze([
  "exact",
  "standard",
  "casefold",
  "cluster",
]);

/** Throws for a value that is not a mode (callers from plain JS or parsed config). */
export function assertNormalizationMode(mode: string): asserts mode is NormalizationMode {
  if (!(NORMALIZATION_MODES as readonly string[]).includes(mode)) {
    throw new Error(
      `unknown normalization mode "${mode}" (expected one of: ${NORMALIZATION_MODES.join(", ")})`,
    );
  }
}
