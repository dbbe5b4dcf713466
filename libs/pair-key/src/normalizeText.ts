import { clusterText } from "./clusterText.js";
import { assertNormalizationMode, type NormalizationMode } from "./NormalizationMode.js";
import type { PairField } from "./PairField.js";

// Unicode White_Space (tab, LF, CR, NEL, NBSP, ogham space, the U+2000 family, line/paragraph
// separators, ideographic space …) plus U+FEFF (a BOM/zero-width no-break space, invisible to a reader).
const WHITESPACE_RUN = /[\p{White_Space}\uFEFF]+/gu;

/**
 * Normalizes one field for keying (see NormalizationMode). Pure and idempotent:
 * `normalizeText(normalizeText(s, m), m) === normalizeText(s, m)`.
 *
 * `casefold` uses `String.prototype.toLowerCase` (Unicode default lower-casing, locale-independent)
 * and then NFKC again, NOT full Unicode case folding. Deliberately conservative — it merges only
 * case differences:
 * - German ß stays ß ("STRASSE" → "strasse" and "Straße" → "straße" do not meet; full folding would
 *   map ß → ss and also merge different words such as "Masse" and "Maße"). Capital ẞ → ß.
 * - Turkish dotted İ (U+0130) → "i̇" (i + U+0307), so "İstanbul" does not meet "istanbul"; dotless ı
 *   stays ı. No Turkish locale rules are applied.
 * - Greek final sigma follows the lower-casing context rule ("ΟΔΟΣ" → "οδος").
 *
 * `cluster` is `casefold` and then the rules of the field (clusterText), so it needs `field`.
 */
export function normalizeText(text: string, mode: Exclude<NormalizationMode, "cluster">): string;
export function normalizeText(text: string, mode: NormalizationMode, field: PairField): string;
export function normalizeText(text: string, mode: NormalizationMode, field?: PairField): string {
  assertNormalizationMode(mode);
  if (mode === "exact") return text;
  const standard = text.normalize("NFKC").replace(WHITESPACE_RUN, " ").trim();
  if (mode === "standard") return standard;
  // NFKC again: lower-casing can produce sequences that are not in normal form.
  const casefolded = standard.toLowerCase().normalize("NFKC");
  if (mode === "casefold") return casefolded;
  if (field !== "company" && field !== "title") {
    throw new TypeError('the "cluster" normalization needs the field: "company" or "title"');
  }
  return clusterText(casefolded, field);
}
