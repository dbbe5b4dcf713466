import { ScaledJob } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledJob";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { describe, expect, it } from "vitest";
import { podTemplateOf, type K8sObject } from "./support/K8sObject.js";
import { MetricCatalog } from "./support/MetricCatalog.js";
import { K8S_DIR } from "./support/paths.js";
import { promqlMetricUses } from "./support/promqlMetricNames.js";
import { KUBECTL, renderOverlayWithComponents } from "./support/renderKustomization.js";
import { environment, named, one } from "./support/renderedVariants.js";

// Issue 12.4: the autoscaling components rendered into the production overlay. The KEDA and HPA
// objects are validated against the published schemas (kubernetes-models ships the Kubernetes
// OpenAPI and KEDA's CRD schemas), their targets are objects of the same render, and every metric
// they scale on is one a service really exposes. (Skipped without kubectl, like the other
// rendered-manifest tests.)

const PRODUCTION = `${K8S_DIR}/overlays/production`;
const NAMESPACE = "seniority";

interface PrometheusTrigger {
  type: string;
  metadata: { serverAddress: string; query: string; threshold: string; activationThreshold?: string };
}
interface ScaleTargetRef {
  apiVersion?: string;
  kind?: string;
  name: string;
}

const renders = new Map<string, K8sObject[]>();
function render(...components: string[]): K8sObject[] {
  const key = components.join(",");
  let objects = renders.get(key);
  if (!objects) {
    objects = renderOverlayWithComponents(
      PRODUCTION,
      components.map((c) => `${K8S_DIR}/components/${c}`),
    );
    renders.set(key, objects);
  }
  return objects;
}

function metricProblems(query: string): string[] {
  const catalog = new MetricCatalog();
  const uses = promqlMetricUses(query);
  expect(uses.length, query).toBeGreaterThan(0);
  return uses.flatMap((use) => [
    ...(catalog.problemWithMetric(use.name) ?? []),
    ...use.matchers.flatMap((m) => catalog.problemWithLabel(m.label, m.value, m.op) ?? []),
  ]);
}

function namespaceMatcher(query: string): string | undefined {
  return promqlMetricUses(query)
    .flatMap((use) => use.matchers)
    .find((m) => m.label === "namespace" && m.op === "=")?.value;
}

describe.skipIf(!KUBECTL)("deploy/k8s autoscaling components (issue 12.4)", () => {
  it("scales the --watch augmenter with a KEDA ScaledObject on augmenter_lag_seconds", () => {
    const objects = render("autoscaling");
    const scaled = one(objects, "ScaledObject", "augmenter");
    expect(scaled.apiVersion).toBe("keda.sh/v1alpha1");
    expect(() => new ScaledObject(scaled as never).validate()).not.toThrow();
    const spec = scaled.spec as {
      scaleTargetRef: ScaleTargetRef;
      minReplicaCount: number;
      maxReplicaCount: number;
      triggers: PrometheusTrigger[];
    };
    // The target is the rendered Deployment, and it holds leases so replicas share the files.
    expect(spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "augmenter" });
    const deployment = one(objects, "Deployment", "augmenter");
    expect(environment(objects, podTemplateOf(deployment)!.spec.containers[0]!)).toHaveProperty(
      "SENIORITY_LEASES",
    );
    expect(spec.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(spec.maxReplicaCount).toBeGreaterThan(spec.minReplicaCount);
    expect(spec.triggers.map((t) => t.type)).toEqual(["prometheus"]);
    const query = spec.triggers[0]!.metadata.query;
    expect(promqlMetricUses(query).map((u) => u.name)).toEqual(["augmenter_lag_seconds"]);
    expect(namespaceMatcher(query)).toBe(NAMESPACE);
    expect(metricProblems(query)).toEqual([]);
    expect(Number(spec.triggers[0]!.metadata.threshold)).toBeGreaterThan(0);
  });

  it("scales the proxy with an HPA on CPU and its bulk queue depth, never below the replicas hint", () => {
    const objects = render("autoscaling");
    const hpa = one(objects, "HorizontalPodAutoscaler", "seniority-cache");
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(() => new HorizontalPodAutoscaler(hpa as never).validate()).not.toThrow();
    const spec = hpa.spec as {
      scaleTargetRef: ScaleTargetRef;
      minReplicas: number;
      maxReplicas: number;
      metrics: {
        type: string;
        resource?: { name: string; target: { type: string; averageUtilization: number } };
        pods?: { metric: { name: string; selector?: { matchLabels: Record<string, string> } } };
      }[];
    };
    expect(spec.scaleTargetRef).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "seniority-cache",
    });
    const deployment = one(objects, "Deployment", "seniority-cache");
    const env = environment(objects, podTemplateOf(deployment)!.spec.containers[0]!);
    // While Redis is down each replica paces itself at capacity / hint: fewer replicas than the
    // hint would under-use the model, so the HPA never goes below it (nor below the Deployment's).
    expect(spec.minReplicas).toBe(Number(env["SENIORITY_CACHE_REPLICAS_HINT"]));
    expect(spec.minReplicas).toBe((deployment.spec as { replicas: number }).replicas);
    expect(spec.maxReplicas).toBeGreaterThan(spec.minReplicas);
    expect(spec.metrics.map((m) => m.type)).toEqual(["Resource", "Pods"]);
    expect(spec.metrics[0]!.resource).toMatchObject({ name: "cpu", target: { type: "Utilization" } });
    // The container requests CPU, or a Utilization target has nothing to divide by.
    expect(podTemplateOf(deployment)!.spec.containers[0]!.resources?.requests?.["cpu"]).toBeDefined();
    const pods = spec.metrics[1]!.pods!;
    const matchers = Object.entries(pods.metric.selector?.matchLabels ?? {})
      .map(([label, value]) => `${label}="${value}"`)
      .join(",");
    expect(pods.metric.name).toBe("seniority_cache_queue_depth");
    expect(matchers).toBe('lane="bulk"');
    expect(metricProblems(`${pods.metric.name}{${matchers}}`)).toEqual([]);
  });

  it("runs backfills as a KEDA ScaledJob with the CronJob's Job spec, in place of the Deployment", () => {
    const objects = render("augmenter-scaledjob");
    expect(named(objects, "Deployment", "augmenter")).toBeUndefined();
    expect(named(objects, "PodDisruptionBudget", "augmenter")).toBeUndefined();
    const job = one(objects, "ScaledJob", "augmenter-backfill");
    expect(job.apiVersion).toBe("keda.sh/v1alpha1");
    expect(() => new ScaledJob(job as never).validate()).not.toThrow();
    const spec = job.spec as {
      jobTargetRef: { template: { spec: { containers: { args: string[]; image: string }[] } } };
      maxReplicaCount: number;
      triggers: PrometheusTrigger[];
    };
    // One source for the Job: the same spec as the CronJob's (hashed ConfigMap name and image
    // included, which kustomize only rewrites in a ScaledJob through the component's config).
    const cron = one(render("augmenter-cronjob"), "CronJob", "augmenter");
    expect(spec.jobTargetRef).toEqual((cron.spec as { jobTemplate: { spec: unknown } }).jobTemplate.spec);
    const container = spec.jobTargetRef.template.spec.containers[0]!;
    expect(container.args).toEqual(["services/augmenter/dist/main.js", "--once"]);
    expect(container.image).toBe("registry.example.internal/seniority:0.1.0");
    const configMaps = objects.filter((o) => o.kind === "ConfigMap").map((o) => o.metadata?.name);
    expect(configMaps).toContain(
      (container as unknown as { envFrom: { configMapRef: { name: string } }[] }).envFrom[0]!.configMapRef
        .name,
    );
    expect(spec.maxReplicaCount).toBeGreaterThan(1);
    const query = spec.triggers[0]!.metadata.query;
    expect(namespaceMatcher(query)).toBe(NAMESPACE);
    expect(metricProblems(query)).toEqual([]);
  });

  it("refuses a malformed ScaledObject and HPA (the schema check can fail)", () => {
    const scaled = structuredClone(one(render("autoscaling"), "ScaledObject", "augmenter"));
    (scaled.spec as { maxReplicaCount: unknown }).maxReplicaCount = "four";
    expect(() => new ScaledObject(scaled as never).validate()).toThrow(/maxReplicaCount/);
    const hpa = structuredClone(one(render("autoscaling"), "HorizontalPodAutoscaler", "seniority-cache"));
    delete (hpa.spec as { maxReplicas?: number }).maxReplicas;
    expect(() => new HorizontalPodAutoscaler(hpa as never).validate()).toThrow(/maxReplicas/);
  });
});
