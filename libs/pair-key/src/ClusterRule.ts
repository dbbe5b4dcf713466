/**
 * One rewrite of the `cluster` normalization mode. Rules run on `casefold` output (NFKC, lower
 * case, single spaces, trimmed), in table order; each must be safe to run again on its own output.
 */
export interface ClusterRule {
  /** Short kebab-case name (tests and docs refer to it). */
  readonly name: string;
  /** Global (`g`) and Unicode (`u`): every match is rewritten. */
  readonly pattern: RegExp;
  /** As for String.prototype.replace: a string with `$1`…, or a function of the whole match. */
  readonly replacement: string | ((match: string) => string);
  /** What the rule does, on `casefold` text: `applyClusterRule(rule, example.input) === example.output`. */
  readonly example: { readonly input: string; readonly output: string };
}

/** `text` with every match of `rule.pattern` rewritten. */
export function applyClusterRule(rule: ClusterRule, text: string): string {
  const { replacement } = rule;
  // The two overloads of replace, told apart for the compiler.
  return typeof replacement === "string"
    ? text.replace(rule.pattern, replacement)
    : text.replace(rule.pattern, (match) => replacement(match));
}
