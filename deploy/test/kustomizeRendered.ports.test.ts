import { expect, it } from "vitest";
import { objectId, selects } from "./support/K8sObject.js";
import { environment, portNamed, type Pod } from "./support/renderedVariants.js";
import { describeRenderedVariants } from "./support/describeRenderedVariants.js";

// The rendered manifests of every variant (see describeRenderedVariants).
// This file: ports agree between config, containers, probes, Services and PodMonitors.

describeRenderedVariants(({ objects, workloads, containers }) => {
  it("agrees on ports: *_HTTP_PORT = metrics, *_ADMIN_PORT = admin, *_PORT = grpc, probes on metrics", () => {
    for (const { container } of containers) {
      const env = environment(objects, container);
      const metrics = portNamed(container, "metrics");
      expect(metrics, `${container.name} metrics port`).toBeDefined();
      for (const [name, value] of Object.entries(env)) {
        if (!/^SENIORITY_\w*PORT$/.test(name)) continue;
        const expected = name.endsWith("HTTP_PORT")
          ? metrics
          : portNamed(container, name.endsWith("ADMIN_PORT") ? "admin" : "grpc");
        expect(Number(value), `${container.name} ${name}`).toBe(expected);
      }
      for (const [probe, path] of [
        ["readinessProbe", "/readyz"],
        ["livenessProbe", "/healthz"],
      ] as const) {
        const spec = container[probe];
        if (!spec) continue; // Job pods have no probes
        expect(spec.httpGet, `${container.name} ${probe}`).toEqual({ path, port: "metrics" });
      }
    }
    for (const { owner, container } of containers.filter(({ owner }) => owner.kind === "Deployment")) {
      expect(container.readinessProbe, objectId(owner)).toBeDefined();
      expect(container.livenessProbe, objectId(owner)).toBeDefined();
    }
  });

  it("has Services, PodDisruptionBudgets and PodMonitors that select pods with the named ports", () => {
    const selected = (selector: Record<string, string> | undefined): Pod[] =>
      workloads.filter(({ template }) => selects(selector, template.metadata?.labels));
    for (const service of objects.filter((o) => o.kind === "Service")) {
      const spec = service.spec as { selector?: Record<string, string>; ports: { targetPort: string }[] };
      const targets = selected(spec.selector);
      expect(targets.length, objectId(service)).toBeGreaterThan(0);
      for (const { template } of targets) {
        for (const port of spec.ports) {
          const found = template.spec.containers.some((c) => portNamed(c, port.targetPort) !== undefined);
          expect(found, `${objectId(service)} → ${port.targetPort}`).toBe(true);
        }
      }
    }
    for (const object of objects.filter((o) => o.kind === "PodDisruptionBudget" || o.kind === "PodMonitor")) {
      const spec = object.spec as {
        selector: { matchLabels: Record<string, string> };
        podMetricsEndpoints?: { port: string }[];
      };
      const targets = selected(spec.selector.matchLabels);
      expect(targets.length, objectId(object)).toBeGreaterThan(0);
      for (const endpoint of spec.podMetricsEndpoints ?? []) {
        for (const { template } of targets) {
          const found = template.spec.containers.some((c) => portNamed(c, endpoint.port) !== undefined);
          expect(found, `${objectId(object)} → ${endpoint.port}`).toBe(true);
        }
      }
    }
    const monitored = new Set(
      objects
        .filter((o) => o.kind === "PodMonitor")
        .flatMap((o) =>
          Object.values(
            (o.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels,
          ),
        ),
    );
    for (const { template } of workloads) {
      expect([...monitored], "every workload is scraped").toContain(
        template.metadata?.labels?.["app.kubernetes.io/name"],
      );
    }
  });
});
