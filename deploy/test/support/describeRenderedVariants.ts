import { describe } from "vitest";
import type { Container, K8sObject } from "./K8sObject.js";
import { KUBECTL } from "./renderKustomization.js";
import { pods, rendered, VARIANTS, type Pod, type Variant } from "./renderedVariants.js";

// The rendered manifests (kustomize built into kubectl) of the base, both overlays and the
// CronJob variant, checked as a cluster would need them to fit together. Not checked here (no
// cluster): admission, scheduling, IRSA, the real Redis and model.

/** A container with the workload and pod template it runs in. */
export interface PodContainer extends Pod {
  container: Container;
}

/** One variant as its suite sees it: every rendered object, the pod workloads and their containers. */
export interface RenderedVariant {
  variant: Variant;
  objects: K8sObject[];
  workloads: Pod[];
  containers: PodContainer[];
}

/**
 * The suite "deploy/k8s rendered by kubectl kustomize" (skipped without kubectl) with one describe
 * per variant, `body` declaring that variant's tests over its rendering.
 */
export function describeRenderedVariants(body: (rendering: RenderedVariant) => void): void {
  describe.skipIf(!KUBECTL)("deploy/k8s rendered by kubectl kustomize", () => {
    describe.each(VARIANTS)("$name", (variant) => {
      const objects = rendered(variant);
      const workloads = pods(objects);
      const containers = workloads.flatMap(({ owner, template }) =>
        template.spec.containers.map((container) => ({ owner, template, container })),
      );
      body({ variant, objects, workloads, containers });
    });
  });
}
