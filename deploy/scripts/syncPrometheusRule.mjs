// Writes deploy/k8s/components/prometheus-rules/prometheusrule.yaml (a prometheus-operator PrometheusRule)
// from deploy/prometheus/rules.yml, the one source of the rules: promtool checks and tests that
// file, kustomize cannot load a file outside its own tree, so the operator object is a generated
// copy. deploy/test/prometheus.test.ts fails when the two differ.
//   node deploy/scripts/syncPrometheusRule.mjs [--check]
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

const deployDir = fileURLToPath(new URL("..", import.meta.url));
const source = `${deployDir}prometheus/rules.yml`;
const target = `${deployDir}k8s/components/prometheus-rules/prometheusrule.yaml`;

const header = [
  "# GENERATED from deploy/prometheus/rules.yml by `node deploy/scripts/syncPrometheusRule.mjs`:",
  "# edit that file, then run the script. prometheus-operator loads these rules into Prometheus.",
  "",
].join("\n");

const object = {
  apiVersion: "monitoring.coreos.com/v1",
  kind: "PrometheusRule",
  metadata: { name: "seniority", labels: { "app.kubernetes.io/name": "seniority" } },
  spec: { groups: parse(readFileSync(source, "utf8")).groups },
};
const text = header + stringify(object, { lineWidth: 0 });

if (process.argv.includes("--check")) {
  if (readFileSync(target, "utf8") !== text) {
    console.error(`${target} is out of date: run node deploy/scripts/syncPrometheusRule.mjs`);
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, text);
}
