import type { ChartSpec } from "./BenchmarkResult.js";
import { formatSig } from "./formatNumber.js";

const COLORS = { system: "#2b6cb0", baseline: "#a0aec0" } as const;
const LABEL_WIDTH = 300; // px reserved for bar labels
const BAR_AREA = 420; // px of the longest bar
const VALUE_WIDTH = 120; // px for the value printed after a bar
const ROW = 26; // px per bar
const TOP = 44; // px for the title and legend

/**
 * A horizontal bar chart as standalone SVG text: one bar per entry, linear scale from zero (so
 * lengths compare honestly), the value printed after each bar. Our system's bars are blue,
 * baselines grey.
 */
export function renderBarChart(chart: ChartSpec, subtitle: string): string {
  const max = Math.max(...chart.bars.map((b) => b.value), 0) || 1;
  const width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH;
  const height = TOP + chart.bars.length * ROW + 10;
  const rows = chart.bars.map((bar, i) => {
    const y = TOP + i * ROW;
    const length = Math.max(1, (bar.value / max) * BAR_AREA);
    return [
      `<text x="${LABEL_WIDTH - 8}" y="${y + 16}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${length.toFixed(1)}" height="${ROW - 8}" fill="${COLORS[bar.kind]}"/>`,
      `<text x="${(LABEL_WIDTH + length + 6).toFixed(1)}" y="${y + 16}">${escapeXml(formatSig(bar.value))}</text>`,
    ].join("");
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="8" y="18" font-size="14" font-weight="bold">${escapeXml(`${chart.title} (${chart.unit})`)}</text>`,
    `<text x="8" y="34" fill="#555555">${escapeXml(subtitle)}</text>`,
    `<rect x="${width - 190}" y="24" width="10" height="10" fill="${COLORS.system}"/><text x="${width - 176}" y="33">this system</text>`,
    `<rect x="${width - 100}" y="24" width="10" height="10" fill="${COLORS.baseline}"/><text x="${width - 86}" y="33">baseline</text>`,
    ...rows,
    `</svg>`,
    "",
  ].join("\n");
}

function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
