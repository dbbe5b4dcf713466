import type { ResultTable } from "./BenchmarkResult.js";

/** Plain-text table for the console: columns padded, numbers right-aligned. */
export function formatTextTable(table: ResultTable): string {
  const cells = [table.columns, ...table.rows.map((row) => row.map(String))];
  const widths = table.columns.map((_, c) => Math.max(...cells.map((row) => String(row[c] ?? "").length)));
  const numeric = table.columns.map((_, c) => table.rows.every((row) => looksNumeric(String(row[c] ?? ""))));
  const line = (row: (string | number)[]) =>
    row
      .map((cell, c) => (numeric[c] ? String(cell).padStart(widths[c]!) : String(cell).padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [`${table.title}`, line(table.columns), rule, ...table.rows.map(line)].join("\n");
}

/** GitHub-flavoured Markdown table, numeric columns right-aligned. */
export function formatMarkdownTable(table: ResultTable): string {
  const numeric = table.columns.map((_, c) => table.rows.every((row) => looksNumeric(String(row[c] ?? ""))));
  const escape = (cell: string | number) => String(cell).replaceAll("|", "\\|");
  return [
    `| ${table.columns.map(escape).join(" | ")} |`,
    `|${numeric.map((n) => (n ? "---:" : "---")).join("|")}|`,
    ...table.rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}

function looksNumeric(cell: string): boolean {
  return /^[-+]?[\d,.]+(\s?(×|%|s|ms|MB|B))?$/.test(cell) || cell === "—";
}
