import type { ClusterRule } from "./ClusterRule.js";

const B = String.raw`(?<![\p{L}\p{N}])`;
/** Legal forms, as the last word of a name, in their short undotted spelling. */
const SUFFIXES = "inc|corp|ltd|llc|plc|co|gmbh|ag|sa|nv|bv|spa|incorporated|corporation|limited|company";
const LONG_FORMS: Readonly<Record<string, string>> = {
  incorporated: "inc",
  corporation: "corp",
  limited: "ltd",
  company: "co",
};

/**
 * The company rules of the `cluster` mode: only the spelling of a trailing legal form — its
 * periods, a comma before it, its long form. "Acme, Inc." and "Acme Inc" are one legal name; so
 * are "Acme Corporation" and "Acme Corp". A legal form is never dropped or swapped for another:
 * "Acme" and "Acme GmbH" (or "Acme Inc" and "Acme GmbH", a parent and a subsidiary in another
 * country) can be different employers, and the company is part of what the model is asked, so
 * merging them could answer for one employer with another's level (docs/title-clustering.md).
 * Changing a rule changes keys: bump CLUSTER_RULES_VERSION.
 */
export const COMPANY_CLUSTER_RULES: readonly ClusterRule[] = Object.freeze([
  {
    name: "legal-initials",
    // Dotted initials at the end: "l.l.c." → "llc", "s.a." → "sa", "s.p.a." → "spa".
    pattern: new RegExp(String.raw`${B}(?:l\.l\.c|s\.p\.a|p\.l\.c|s\.a|n\.v|b\.v)\.?$`, "gu"),
    replacement: (match) => match.replaceAll(".", ""),
    example: { input: "acme s.a.", output: "acme sa" },
  },
  {
    name: "legal-period",
    pattern: new RegExp(String.raw`${B}(${SUFFIXES})\.$`, "gu"),
    replacement: "$1",
    example: { input: "acme inc.", output: "acme inc" },
  },
  {
    name: "legal-comma",
    pattern: new RegExp(String.raw`(?<=[^\s,]) ?, ?(?=(?:${SUFFIXES})$)`, "gu"),
    replacement: " ",
    example: { input: "acme, inc", output: "acme inc" },
  },
  {
    name: "legal-long-form",
    pattern: new RegExp(String.raw`(?<=[^\s,] )(?:${Object.keys(LONG_FORMS).join("|")})$`, "gu"),
    replacement: (match) => LONG_FORMS[match] ?? match,
    example: { input: "acme corporation", output: "acme corp" },
  },
]);
