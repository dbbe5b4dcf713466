import { readdirSync, readFileSync, statSync } from "node:fs";
import { Status } from "nice-grpc";
import { collectDefaultMetrics, Registry } from "prom-client";
import { REPO_ROOT } from "./paths.js";

/** Labels Prometheus or the scrape config adds, which no service defines. */
const TARGET_LABELS = new Set([
  "namespace",
  "pod",
  "job",
  "instance",
  "container",
  "endpoint",
  "le",
  "service",
]);
const HISTOGRAM_SUFFIXES = ["_bucket", "_sum", "_count"];

/**
 * What the services really expose, read from their sources: a metric or label value used by a
 * rule or a panel must appear as a string literal in services/{name}/src or libs/{name}/src (where
 * the prom-client metric is declared), be one of prom-client's default process/Node.js metrics, or
 * be Prometheus' own `up`.
 */
export class MetricCatalog {
  private readonly source: string;
  /** prom-client's default metrics: name → type ("counter", "gauge", "histogram", …). */
  private readonly defaults: Map<string, string>;

  constructor() {
    this.source = ["services", "libs"]
      .flatMap((top) => readdirSync(`${REPO_ROOT}/${top}`).map((name) => `${REPO_ROOT}/${top}/${name}/src`))
      .flatMap((dir) => tsFiles(dir))
      .map((file) => readFileSync(file, "utf8"))
      .join("\n");
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    this.defaults = new Map(
      registry
        .getMetricsAsArray()
        .map((metric) => [metric.name, (metric as unknown as { type: string }).type]),
    );
  }

  /** Why `name` is not a known metric, or undefined when it is. */
  problemWithMetric(name: string): string | undefined {
    if (name === "up" || this.defaults.has(name) || this.hasLiteral(name)) return undefined;
    // name_bucket / _sum / _count: series of a histogram declared as `new Histogram({ name: … })`.
    const suffix = HISTOGRAM_SUFFIXES.find((s) => name.endsWith(s));
    const base = suffix ? name.slice(0, -suffix.length) : undefined;
    if (base && (this.defaults.get(base) === "histogram" || this.isDeclaredHistogram(base))) return undefined;
    return `metric ${name} is not declared in services/*/src or libs/*/src, nor a prom-client default metric`;
  }

  /** Why `label="value"` cannot occur, or undefined. gRPC codes are checked against Status names. */
  problemWithLabel(label: string, value: string, op: string): string | undefined {
    if (TARGET_LABELS.has(label) || op === "!=" || op === "!~") return undefined;
    if (!this.hasLiteral(label)) return `label ${label} is not declared in any service source`;
    const values = op === "=~" ? value.split("|") : [value];
    for (const one of values) {
      const known = label === "code" ? one in Status && Number.isNaN(Number(one)) : this.hasLiteral(one);
      if (!known) return `label value ${label}="${one}" does not occur in any service source`;
    }
    return undefined;
  }

  private isDeclaredHistogram(name: string): boolean {
    const literal = `"${name}"`;
    for (let at = this.source.indexOf(literal); at >= 0; at = this.source.indexOf(literal, at + 1)) {
      if (/new Histogram(?:<[^>]*>)?\(\{\s*name:\s*$/.test(this.source.slice(Math.max(0, at - 80), at)))
        return true;
    }
    return false;
  }

  /** True when `text` appears as a "…", '…' or `…` string literal in the sources. */
  hasLiteral(text: string): boolean {
    return ['"', "'", "`"].some((quote) => this.source.includes(`${quote}${text}${quote}`));
  }
}

function tsFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = `${dir}/${entry}`;
    if (statSync(path).isDirectory()) return entry === "gen" ? [] : tsFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}
