import { describe, expect, it } from "vitest";
import { podTemplateOf, type K8sObject } from "./support/K8sObject.js";
import { KUBECTL } from "./support/renderKustomization.js";
import { environment, named, one, renderedVariant } from "./support/renderedVariants.js";

// What each rendered variant of deploy/k8s runs, where they are meant to differ: staging's
// model-sim and single proxy, production's two proxies and --watch augmenter, the CronJob swap,
// and which ones load the alert rules. (Skipped without kubectl, like kustomizeRendered.test.ts.)

describe.skipIf(!KUBECTL)("deploy/k8s variants: what differs between them", () => {
  const get = renderedVariant;
  const args = (objects: K8sObject[], kind: string, name: string): string[] | undefined =>
    podTemplateOf(one(objects, kind, name))?.spec.containers[0]?.args;

  it("staging runs one proxy in front of model-sim", () => {
    const staging = get("staging");
    expect((one(staging, "Deployment", "seniority-cache").spec as { replicas: number }).replicas).toBe(1);
    expect(args(staging, "Deployment", "model-sim")).toEqual(["services/model-sim/dist/main.js"]);
    const cache = podTemplateOf(one(staging, "Deployment", "seniority-cache"))!.spec.containers[0]!;
    expect(environment(staging, cache)["SENIORITY_CACHE_MODEL"]).toBe("model-sim:50051");
    expect(named(staging, "PodMonitor", "model-sim")).toBeDefined();
  });

  it("production runs two proxies, no model-sim, and the augmenter in --watch mode", () => {
    const production = get("production");
    expect((one(production, "Deployment", "seniority-cache").spec as { replicas: number }).replicas).toBe(2);
    expect(named(production, "Deployment", "model-sim")).toBeUndefined();
    expect(args(production, "Deployment", "augmenter")).toEqual([
      "services/augmenter/dist/main.js",
      "--watch",
    ]);
    expect(named(production, "CronJob", "augmenter")).toBeUndefined();
    // Two augmenters share the files through leases in the proxy's Redis.
    const augmenter = one(production, "Deployment", "augmenter");
    expect((augmenter.spec as { replicas: number }).replicas).toBe(2);
    const container = podTemplateOf(augmenter)!.spec.containers[0]!;
    expect(container.env).toEqual([
      {
        name: "SENIORITY_LEASES",
        valueFrom: { secretKeyRef: { name: "seniority-redis", key: "leases-url" } },
      },
    ]);
    const account = one(production, "ServiceAccount", "augmenter");
    expect(account.metadata?.annotations?.["eks.amazonaws.com/role-arn"]).toMatch(
      /^arn:aws:iam::\d{12}:role\//,
    );
  });

  it("the CronJob component swaps the augmenter Deployment for a --once CronJob", () => {
    const variant = get("production + augmenter-cronjob");
    expect(named(variant, "Deployment", "augmenter")).toBeUndefined();
    const cronJob = one(variant, "CronJob", "augmenter");
    expect(args(variant, "CronJob", "augmenter")).toEqual(["services/augmenter/dist/main.js", "--once"]);
    expect(cronJob.spec).toMatchObject({ concurrencyPolicy: "Forbid" });
    expect(named(variant, "PodDisruptionBudget", "augmenter")).toBeUndefined();
  });

  it("both overlays keep one of the two augmenter pollers up through voluntary disruptions", () => {
    for (const variant of ["staging", "production"] as const) {
      const pdb = one(get(variant), "PodDisruptionBudget", "augmenter");
      expect(pdb.spec, variant).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: { "app.kubernetes.io/name": "augmenter" } },
      });
    }
  });

  it("both overlays load the alert rules; the base alone does not", () => {
    expect(get("staging").filter((o) => o.kind === "PrometheusRule")).toHaveLength(1);
    expect(get("production").filter((o) => o.kind === "PrometheusRule")).toHaveLength(1);
    expect(get("base").filter((o) => o.kind === "PrometheusRule")).toHaveLength(0);
  });
});
