import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadYaml } from "./support/loadYaml.js";
import { MetricCatalog } from "./support/MetricCatalog.js";
import { DEPLOY_DIR } from "./support/paths.js";
import { promqlMetricUses } from "./support/promqlMetricNames.js";

// deploy/grafana/seniority.json: parses, lays out on the 24-column grid without overlaps, gives
// every panel a query, and every query is valid PromQL (promtool parses it) over metrics the
// services declare. Grafana itself is not run here.

interface Target {
  refId: string;
  expr: string;
  legendFormat?: string;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { uid?: string };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: unknown }[] };
}

const dashboard = JSON.parse(readFileSync(`${DEPLOY_DIR}/grafana/seniority.json`, "utf8")) as Dashboard;
const panels = dashboard.panels.filter((panel) => panel.type !== "row");
const targets = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target })));

/** Grafana's variables replaced by values Prometheus would see. */
function substitute(expr: string): string {
  return expr
    .replaceAll("$__rate_interval", "1m")
    .replaceAll("$namespace", "seniority")
    .replaceAll("$model_capacity", "1000");
}

describe("deploy/grafana/seniority.json", () => {
  it("is a dashboard with a stable uid and the three variables its queries use", () => {
    expect(dashboard.uid).toBe("seniority");
    expect(dashboard.templating.list.map((v) => `${v.name}:${v.type}`)).toEqual([
      "datasource:datasource",
      "namespace:query",
      "model_capacity:textbox",
    ]);
    const used = new Set(
      targets.flatMap(({ target }) => [...target.expr.matchAll(/\$(\w+)/g)].map((m) => m[1]!)),
    );
    expect([...used].sort()).toEqual(["__rate_interval", "model_capacity", "namespace"]);
  });

  it("covers the views the brief asks for", () => {
    const titles = panels.map((panel) => panel.title);
    for (const wanted of [
      "Requests / s by code",
      "Hit ratio by tier",
      "Model items / s vs capacity",
      "Model batch size",
      "Request latency p50 / p99",
      "Queue depth by lane",
      "Store degraded",
      "Lines / s by outcome",
      "Lag",
      "Files by outcome",
      "CPU cores by pod",
      "Resident memory by pod",
    ]) {
      expect(titles).toContain(wanted);
    }
  });

  it("gives every panel at least one query, distinct refIds and the dashboard's data source", () => {
    for (const panel of panels) {
      const refIds = (panel.targets ?? []).map((target) => target.refId);
      expect(refIds.length, panel.title).toBeGreaterThan(0);
      expect(new Set(refIds).size, panel.title).toBe(refIds.length);
      expect(panel.datasource?.uid, panel.title).toBe("${datasource}");
      for (const target of panel.targets ?? []) {
        expect(target.expr.trim(), panel.title).not.toBe("");
        expect(target.datasource?.uid, panel.title).toBe("${datasource}");
      }
    }
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
  });

  it("lays panels out on the 24-column grid without overlaps", () => {
    const cells = new Map<string, string>();
    for (const panel of dashboard.panels) {
      const { x, y, w, h } = panel.gridPos;
      expect(x + w, panel.title).toBeLessThanOrEqual(24);
      for (let row = y; row < y + h; row++) {
        for (let col = x; col < x + w; col++) {
          const key = `${row}:${col}`;
          expect(cells.get(key), `${panel.title} overlaps`).toBeUndefined();
          cells.set(key, panel.title);
        }
      }
    }
  });

  it("has only queries promtool parses (each checked as a recording rule)", () => {
    const dir = mkdtempSync(join(tmpdir(), "seniority-dashboard-"));
    try {
      const rules = targets.map(({ target }, i) => ({
        record: `dashboard:query_${i}`,
        expr: substitute(target.expr),
      }));
      writeFileSync(join(dir, "queries.yml"), stringify({ groups: [{ name: "dashboard", rules }] }));
      const result = spawnSync("promtool", ["check", "rules", "queries.yml"], { cwd: dir, encoding: "utf8" });
      if (result.error) throw result.error;
      expect(`${result.stdout}${result.stderr}`).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(rules.length).toBeGreaterThan(25);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads only metrics and label values the services declare, or recorded rules", () => {
    const recorded = new Set(
      (
        loadYaml(`${DEPLOY_DIR}/prometheus/rules.yml`) as { groups: { rules: { record?: string }[] }[] }
      ).groups
        .flatMap((group) => group.rules)
        .flatMap((rule) => (rule.record ? [rule.record] : [])),
    );
    const catalog = new MetricCatalog();
    const problems: string[] = [];
    for (const { panel, target } of targets) {
      for (const use of promqlMetricUses(target.expr)) {
        const problem = recorded.has(use.name) ? undefined : catalog.problemWithMetric(use.name);
        if (problem) problems.push(`${panel.title}: ${problem}`);
        for (const m of use.matchers) {
          const labelProblem = catalog.problemWithLabel(m.label, m.value, m.op);
          if (labelProblem) problems.push(`${panel.title}: ${labelProblem}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
