/**
 * How much two spellings of a (company, title) pair may differ and still share one cache entry.
 * - `exact`: the strings as given (code units unchanged).
 * - `standard` (the default): differences no reader would see — Unicode NFKC, trimmed, every run
 *   of Unicode whitespace collapsed to one space.
 * - `casefold`: `standard` plus lower-casing; opt-in, because it assumes the model ignores case.
 */
export type NormalizationMode = "exact" | "standard" | "casefold";

/** Every mode, in order of how much they merge. */
export const NORMALIZATION_MODES: readonly NormalizationMode[] = Object.freeze([
  "exact",
  "standard",
  "casefold",
]);

/** Throws for a value that is not a mode (callers from plain JS or parsed config). */
export function assertNormalizationMode(mode: string): asserts mode is NormalizationMode {
  if (!(NORMALIZATION_MODES as readonly string[]).includes(mode)) {
    throw new Error(
      `unknown normalization mode "${mode}" (expected one of: ${NORMALIZATION_MODES.join(", ")})`,
    );
  }
}
