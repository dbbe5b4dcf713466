import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadYaml } from "./support/loadYaml.js";
import { MetricCatalog } from "./support/MetricCatalog.js";
import { DEPLOY_DIR, REPO_ROOT } from "./support/paths.js";
import { promqlMetricUses } from "./support/promqlMetricNames.js";

// deploy/prometheus: promtool accepts the rules and their unit tests pass (promtool comes from
// Debian's "prometheus" package, which .ci/run installs); every metric and label value the rules
// read is one the services declare; every alert is documented and tested.

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}
interface RuleTestFile {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

const RULES = `${DEPLOY_DIR}/prometheus/rules.yml`;
const RULE_TESTS = ["rules.test.yml", "rules.daily.test.yml"];
const rules = (loadYaml(RULES) as RuleFile).groups.flatMap((group) => group.rules);
const alerts = rules.filter((rule) => rule.alert !== undefined);
const recorded = new Set(rules.flatMap((rule) => (rule.record ? [rule.record] : [])));

function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync("promtool", args, { cwd: `${DEPLOY_DIR}/prometheus`, encoding: "utf8" });
  if (result.error)
    throw new Error(`promtool could not run (install Debian's "prometheus"): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("deploy/prometheus/rules.yml", () => {
  it("passes promtool check rules, which counts every rule", () => {
    const { status, output } = promtool("check", "rules", "rules.yml");
    expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(status).toBe(0);
  });

  it("passes its promtool unit tests", () => {
    const { status, output } = promtool("test", "rules", ...RULE_TESTS);
    expect(output.match(/^\s+SUCCESS$/gm)).toHaveLength(RULE_TESTS.length);
    expect(output).not.toContain("FAILED");
    expect(status).toBe(0);
  });

  it("has the alerts the brief asks for", () => {
    expect(alerts.map((rule) => rule.alert).sort()).toEqual([
      "AugmenterAbsent",
      "AugmenterAllTargetsDown",
      "AugmenterBadLineRatioSpike",
      "AugmenterFilesFailing",
      "AugmenterLagCritical",
      "AugmenterLagHigh",
      "AugmenterLeasesLost",
      "AugmenterTargetDown",
      "ModelSimDuplicateInference",
      "SeniorityCacheAbsent",
      "SeniorityCacheAllTargetsDown",
      "SeniorityCacheErrorRatioCritical",
      "SeniorityCacheErrorRatioHigh",
      "SeniorityCacheLatencyP99High",
      "SeniorityCacheModelBatchFillLow",
      "SeniorityCacheModelBatchesFailing",
      "SeniorityCacheModelBurstOverCapacity",
      "SeniorityCacheModelCircuitOpen",
      "SeniorityCacheModelOverCapacity",
      "SeniorityCacheModelShareCreepingUp",
      "SeniorityCacheStoreDegraded",
      "SeniorityCacheStoreWritesBacklogged",
      "SeniorityCacheTargetDown",
    ]);
  });

  it("gives every alert a severity, a summary, a description and a runbook section that exists", () => {
    const runbook = readFileSync(`${DEPLOY_DIR}/RUNBOOK.md`, "utf8");
    const anchors = new Set([...runbook.matchAll(/^#+ (.+)$/gm)].map((m) => githubAnchor(m[1]!)));
    for (const rule of alerts) {
      expect(["warning", "critical"], rule.alert).toContain(rule.labels?.["severity"]);
      expect(rule.annotations?.["summary"], rule.alert).toMatch(/\S/);
      expect(rule.annotations?.["description"], rule.alert).toMatch(/\S/);
      const anchor = /^deploy\/RUNBOOK\.md#([a-z0-9-]+) — \S/.exec(rule.annotations?.["runbook"] ?? "")?.[1];
      expect(anchor, `${rule.alert} runbook`).toBeDefined();
      expect([...anchors], `${rule.alert} runbook anchor`).toContain(anchor);
    }
  });

  it("reads only metrics and label values the services declare, or rules it records", () => {
    const catalog = new MetricCatalog();
    const problems: string[] = [];
    for (const rule of rules) {
      for (const use of promqlMetricUses(rule.expr)) {
        const problem = recorded.has(use.name) ? undefined : catalog.problemWithMetric(use.name);
        if (problem) problems.push(`${rule.record ?? rule.alert}: ${problem}`);
        for (const m of use.matchers) {
          const labelProblem = catalog.problemWithLabel(m.label, m.value, m.op);
          if (labelProblem) problems.push(`${rule.record ?? rule.alert}: ${labelProblem}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("unit-tests at least eight alerts, each by a name that exists and with a firing case", () => {
    const files = RULE_TESTS.map((file) => loadYaml(`${DEPLOY_DIR}/prometheus/${file}`) as RuleTestFile);
    for (const file of files) expect(file.rule_files).toEqual(["rules.yml"]);
    const cases = files.flatMap((file) => file.tests.flatMap((test) => test.alert_rule_test ?? []));
    const names = new Set(alerts.map((rule) => rule.alert));
    // promtool passes `exp_alerts: []` for an alert that does not exist, so a misspelled name
    // would be a test that cannot fail.
    for (const c of cases) expect([...names], "alertname in rules.test.yml").toContain(c.alertname);
    const firing = new Set(cases.filter((c) => c.exp_alerts.length > 0).map((c) => c.alertname));
    expect(firing.size).toBeGreaterThanOrEqual(8);
  });

  it("is in sync with the PrometheusRule the kustomize component applies", () => {
    const script = `${DEPLOY_DIR}/scripts/syncPrometheusRule.mjs`;
    expect(() =>
      execFileSync(process.execPath, [script, "--check"], { cwd: REPO_ROOT, stdio: "pipe" }),
    ).not.toThrow();
    const object = loadYaml(`${DEPLOY_DIR}/k8s/components/prometheus-rules/prometheusrule.yaml`) as {
      spec: RuleFile;
    };
    expect(object.spec.groups).toEqual((loadYaml(RULES) as RuleFile).groups);
  });
});

describe("MetricCatalog", () => {
  const catalog = new MetricCatalog();

  it("knows declared metrics, histogram series, prom-client defaults and up; nothing else", () => {
    for (const name of [
      "seniority_cache_requests_total",
      "seniority_cache_model_batch_size_bucket",
      "augmenter_file_duration_seconds_sum",
      "process_cpu_seconds_total",
      "nodejs_eventloop_lag_p99_seconds",
      "up",
    ]) {
      expect(catalog.problemWithMetric(name), name).toBeUndefined();
    }
    expect(catalog.problemWithMetric("seniority_cache_hits_total")).toBe(
      "metric seniority_cache_hits_total is not declared in services/*/src or libs/*/src, nor a prom-client default metric",
    );
    expect(catalog.problemWithMetric("seniority_cache_requests_total_bucket")).toBeDefined();
  });

  it("knows label values the sources spell and gRPC status names, not others", () => {
    expect(catalog.problemWithLabel("tier", "model", "=")).toBeUndefined();
    expect(catalog.problemWithLabel("code", "UNAVAILABLE|RESOURCE_EXHAUSTED", "=~")).toBeUndefined();
    expect(catalog.problemWithLabel("namespace", "anything", "=")).toBeUndefined();
    expect(catalog.problemWithLabel("tier", "floppy-disk", "=")).toBe(
      'label value tier="floppy-disk" does not occur in any service source',
    );
    expect(catalog.problemWithLabel("code", "UNAVAILABLE|14", "=~")).toBe(
      'label value code="14" does not occur in any service source',
    );
    expect(catalog.problemWithLabel("colour", "red", "=")).toBe(
      "label colour is not declared in any service source",
    );
  });
});

describe("promqlMetricUses", () => {
  it("finds metrics, skips functions, keywords, label lists, ranges and Grafana variables", () => {
    const uses = promqlMetricUses(
      'sum by (tier) (rate(a_total{namespace="$namespace", tier="model"}[$__rate_interval])) / ignoring (tier) group_left sum(b:c:rate5m offset 1d) > 2 * up and vector($cap)',
    );
    expect(uses).toEqual([
      {
        name: "a_total",
        matchers: [
          { label: "namespace", op: "=", value: "0" },
          { label: "tier", op: "=", value: "model" },
        ],
      },
      { name: "b:c:rate5m", matchers: [] },
      { name: "up", matchers: [] },
    ]);
  });
});

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .replace(/\s/g, "-");
}
