import type { GenerateSummary } from "./generate.js";

const n = (value: number): string => value.toLocaleString("en-US");
const pct = (part: number, whole: number): string =>
  whole === 0 ? "0%" : `${((100 * part) / whole).toFixed(2)}%`;

/** The human-readable summary `seniority gen` prints. */
export function formatSummary(s: GenerateSummary): string {
  const kinds = Object.entries(s.badLinesByKind)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ${n(count)}`)
    .join(", ");
  const range = s.firstKey ? ` (${s.firstKey} … ${s.lastKey})` : "";
  return [
    `files: ${n(s.files)}${range} in ${s.location}`,
    `lines: ${n(s.lines)} (good ${n(s.goodLines)}, bad ${n(s.badLines)}${kinds ? `: ${kinds}` : ""})`,
    `bytes: ${n(s.bytes)}`,
    `distinct pairs: exact ${n(s.distinctPairs)} (${pct(s.distinctPairs, s.goodLines)} of good lines), ` +
      `standard ${n(s.distinctPairsStandard)} (${pct(s.distinctPairsStandard, s.goodLines)}; the cache's default keys), ` +
      `casefold ${n(s.distinctPairsCasefold)} (${pct(s.distinctPairsCasefold, s.goodLines)})`,
  ].join("\n");
}
