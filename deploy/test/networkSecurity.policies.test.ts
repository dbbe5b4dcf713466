import { describe, expect, it } from "vitest";
import { ingressByPort } from "./support/ingressByPort.js";
import { objectId, type Container } from "./support/K8sObject.js";
import { policySelects, type PolicySpec } from "./support/NetworkPolicySpec.js";
import { podsNamed, PROMETHEUS, PROXY_CLIENT_NAMESPACES } from "./support/policyPeers.js";
import { KUBECTL } from "./support/renderKustomization.js";
import { environment, pods, portNamed, rendered, VARIANTS, type Pod } from "./support/renderedVariants.js";

// Issue 13.6 on the rendered manifests, the NetworkPolicies: ingress denied by default and opened
// path by path (augmenter → proxy, proxy → model, Prometheus → metrics ports only), egress of the
// proxy and the augmenter limited to what they call. (No cluster here: what a CNI would enforce is
// read from the policies, not probed.)

describe.skipIf(!KUBECTL)("deploy/k8s network security (issue 13.6)", () => {
  describe.each(VARIANTS)("$name", (variant) => {
    const objects = rendered(variant);
    const policies = objects.filter((o) => o.kind === "NetworkPolicy");
    const specs = policies.map((p) => p.spec as unknown as PolicySpec);
    const workloads = pods(objects);
    const workload = (name: string): { pod: Pod; container: Container } => {
      const pod = workloads.find((w) => w.template.metadata?.labels?.["app.kubernetes.io/name"] === name)!;
      return { pod, container: pod.template.spec.containers[0]! };
    };

    it("denies ingress by default; every rule names its ports and its peers", () => {
      const deny = policies.find((p) => p.metadata?.name === "default-deny-ingress")
        ?.spec as unknown as PolicySpec;
      expect(deny).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
      for (const [i, spec] of specs.entries()) {
        for (const rule of spec.ingress ?? []) {
          expect(rule.ports?.length, objectId(policies[i]!)).toBeGreaterThan(0);
          expect(rule.from?.length, objectId(policies[i]!)).toBeGreaterThan(0);
        }
      }
      // Every workload has a policy of its own besides the default deny.
      for (const { owner, template } of workloads) {
        const own = specs.filter(
          (spec) =>
            Object.keys(spec.podSelector.matchLabels ?? {}).length > 0 &&
            policySelects(spec.podSelector, template.metadata?.labels ?? {}),
        );
        expect(own.length, objectId(owner)).toBe(1);
      }
    });

    it("opens the proxy's gRPC port to the augmenter, its peer replicas (and labelled caller namespaces), metrics to Prometheus, admin to nobody", () => {
      const { pod, container } = workload("seniority-cache");
      expect(Object.fromEntries(ingressByPort(specs, pod, container))).toEqual({
        grpc: [podsNamed("augmenter"), podsNamed("seniority-cache"), PROXY_CLIENT_NAMESPACES],
        metrics: [PROMETHEUS],
        admin: [],
      });
    });

    it("opens the augmenter (and model-sim) to Prometheus on metrics only (model-sim's gRPC to the proxy)", () => {
      const augmenter = workload("augmenter");
      expect(Object.fromEntries(ingressByPort(specs, augmenter.pod, augmenter.container))).toEqual({
        metrics: [PROMETHEUS],
      });
      if (variant.name !== "staging") return;
      const sim = workload("model-sim");
      expect(Object.fromEntries(ingressByPort(specs, sim.pod, sim.container))).toEqual({
        grpc: [podsNamed("seniority-cache")],
        metrics: [PROMETHEUS],
      });
    });

    it("lets the proxy reach only the model, its peers, Redis and DNS; the augmenter only the proxy, Redis, HTTPS and DNS", () => {
      const egressPorts = (name: string): number[] => {
        const spec = specs.find((s) => s.podSelector.matchLabels?.["app.kubernetes.io/name"] === name)!;
        expect(spec.policyTypes).toContain("Egress");
        return [...new Set(spec.egress!.flatMap((rule) => rule.ports!.map((p) => Number(p.port))))].sort(
          (a, b) => a - b,
        );
      };
      const cache = workload("seniority-cache");
      const modelPort = Number(
        environment(objects, cache.container)["SENIORITY_CACHE_MODEL"]!.split(":").at(-1),
      );
      const peerPort = portNamed(cache.container, "grpc")!;
      expect(egressPorts("seniority-cache")).toEqual(
        [53, modelPort, 6379, 6380, peerPort].sort((a, b) => a - b),
      );
      const toPeers = specs
        .find((s) => s.podSelector.matchLabels?.["app.kubernetes.io/name"] === "seniority-cache")!
        .egress!.find((rule) => rule.ports!.some((p) => Number(p.port) === peerPort))!;
      expect(toPeers.to).toEqual([podsNamed("seniority-cache")]);
      const augmenter = workload("augmenter");
      const proxyPort = Number(
        environment(objects, augmenter.container)["SENIORITY_PROXY"]!.split(":").at(-1),
      );
      expect(proxyPort).toBe(portNamed(cache.container, "grpc"));
      expect(egressPorts("augmenter")).toEqual([53, 443, 6379, 6380, proxyPort].sort((a, b) => a - b));
      const toProxy = specs
        .find((s) => s.podSelector.matchLabels?.["app.kubernetes.io/name"] === "augmenter")!
        .egress!.find((rule) => rule.ports!.some((p) => Number(p.port) === proxyPort))!;
      expect(toProxy.to).toEqual([podsNamed("seniority-cache")]);
    });
  });
});
