import { applyClusterRule, type ClusterRule } from "./ClusterRule.js";
import { COMPANY_CLUSTER_RULES } from "./companyClusterRules.js";
import type { PairField } from "./PairField.js";
import { TITLE_CLUSTER_RULES } from "./titleClusterRules.js";

/**
 * The version of the rule tables, part of the `cluster` mode's namespace tag ("cl1"): a new rule
 * or a changed one gives some spellings other keys, so answers cached under the old rules are
 * never read under the new ones. Bump it with any change to TITLE_CLUSTER_RULES or
 * COMPANY_CLUSTER_RULES (a test pins the tables' fingerprint to it).
 */
export const CLUSTER_RULES_VERSION = 1;

/**
 * Passes over the table at most. One rule can open a match for an earlier one ("Director, Sales,
 * Senior": word order first puts "senior" in front, then "director | sales" reads as "director of
 * sales"), so the table runs until nothing changes; two or three passes in practice. Every rule
 * only removes punctuation, expands an abbreviation once, joins segments or inserts one "of", so
 * the passes cannot cycle; the bound is a guard, not a case the tests ever reach.
 */
const MAX_PASSES = 8;

/**
 * The `cluster` form of `casefolded` (the `casefold` form of a title or a company name): the rules
 * of its field, in order, until a pass changes nothing.
 */
export function clusterText(casefolded: string, field: PairField): string {
  return applyClusterRules(field === "title" ? TITLE_CLUSTER_RULES : COMPANY_CLUSTER_RULES, casefolded);
}

/** `rules` in order, until a pass changes nothing. @internal (tests run the table without a rule) */
export function applyClusterRules(rules: readonly ClusterRule[], casefolded: string): string {
  let text = casefolded;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let next = text;
    for (const rule of rules) next = applyClusterRule(rule, next);
    if (next === text) break;
    text = next;
  }
  return text;
}
