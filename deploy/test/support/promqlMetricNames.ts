/**
 * The metric names a PromQL expression reads, and the label matchers it applies to each. A small
 * lexical pass, not a parser: it relies on promtool (which does parse) to have accepted the
 * expression. Strings, label matchers, ranges and `by (…)`-style label lists are blanked out;
 * what remains that is an identifier, not a keyword and not followed by "(" is a metric name.
 * Grafana variables ($namespace, ${x}, $__rate_interval) are treated as constants.
 */
export interface MetricUse {
  name: string;
  matchers: { label: string; op: string; value: string }[];
}

const KEYWORDS = new Set([
  "and",
  "or",
  "unless",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "offset",
  "bool",
  "atan2",
  "inf",
  "nan",
  "Inf",
  "NaN",
]);

export function promqlMetricUses(expr: string): MetricUse[] {
  const uses: MetricUse[] = [];
  const text = expr.replace(/\$\{?[A-Za-z_][\w]*\}?/g, "0");
  // name{matchers} first, while the braces are still there.
  const matched = new Set<number>();
  for (const m of text.matchAll(/(?<![\w.:])([A-Za-z_:][\w:]*)\s*\{([^}]*)\}/g)) {
    matched.add(m.index);
    uses.push({ name: m[1]!, matchers: parseMatchers(m[2]!) });
  }
  // Every blanking keeps lengths, so an index in `bare` is the same index in `text`.
  const bare = text
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, (literal) => " ".repeat(literal.length))
    .replace(/\{[^}]*\}/g, (block) => " ".repeat(block.length))
    .replace(/\[[^\]]*\]/g, (block) => " ".repeat(block.length))
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, (block) =>
      " ".repeat(block.length),
    );
  for (const m of bare.matchAll(/(?<![\w.:])([A-Za-z_:][\w:]*)(?![\w:])(\s*\()?/g)) {
    const name = m[1]!;
    if (m[2] !== undefined || KEYWORDS.has(name) || matched.has(m.index)) continue;
    uses.push({ name, matchers: [] });
  }
  return uses;
}

function parseMatchers(body: string): MetricUse["matchers"] {
  const matchers: MetricUse["matchers"] = [];
  for (const m of body.matchAll(/([A-Za-z_][\w]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)) {
    matchers.push({ label: m[1]!, op: m[2]!, value: m[3]! });
  }
  return matchers;
}
