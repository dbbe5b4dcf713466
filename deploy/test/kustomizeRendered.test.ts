import { readFileSync } from "node:fs";
import { durationMs } from "@seniority/cli-options";
import { queueHeapBudget, queueHeapProblem } from "@seniority/seniority-cache";
import { describe, expect, it } from "vitest";
import { entryHelp, PLATFORM_ENV, readByTelemetry } from "./support/entryHelp.js";
import { parseEntryConfig } from "./support/entryCommand.js";
import { objectId, selects } from "./support/K8sObject.js";
import { DEPLOY_DIR } from "./support/paths.js";
import { KUBECTL } from "./support/renderKustomization.js";
import {
  entryOf,
  environment,
  mebibytes,
  named,
  one,
  pods,
  portNamed,
  rendered,
  VARIANTS,
  type Pod,
} from "./support/renderedVariants.js";

// The rendered manifests (kustomize built into kubectl) of the base, both overlays and the
// CronJob variant, checked as a cluster would need them to fit together: every reference resolves,
// ports agree between config, containers, probes, Services and PodMonitors, and every SENIORITY_*
// variable is one the container's entry reads, with a value its own parser accepts.
// Not checked here (no cluster): admission, scheduling, IRSA, the real Redis and model.

/** Created outside the tree (an ExternalSecret or `kubectl create secret`), never committed. */
const EXTERNAL_SECRETS = new Set([
  "seniority-redis",
  "seniority-redis-tls",
  "seniority-admin-token",
  "seniority-cache-tls",
  "augmenter-tls",
  "model-sim-tls",
]);
/** Room a container's memory limit keeps beyond its V8 heap cap. */
const OFF_HEAP_MIB = 192;
/** The model's capacity, items/s (docs/spec.md): the replicas share it (--model-capacity is the total). */
const MODEL_CAPACITY = 1000;

const CLUSTER_SCOPED = new Set(["Namespace"]);

const dockerfile = readFileSync(`${DEPLOY_DIR}/Dockerfile`, "utf8");

describe.skipIf(!KUBECTL)("deploy/k8s rendered by kubectl kustomize", () => {
  describe.each(VARIANTS)("$name", (variant) => {
    const objects = rendered(variant);
    const workloads = pods(objects);
    const containers = workloads.flatMap(({ owner, template }) =>
      template.spec.containers.map((container) => ({ owner, template, container })),
    );

    it("renders well-formed objects, every namespaced one in the overlay's namespace", () => {
      expect(objects.length).toBeGreaterThan(8);
      for (const object of objects) {
        expect(object.apiVersion, objectId(object)).toMatch(/\S/);
        expect(object.kind, objectId(object)).toMatch(/\S/);
        expect(object.metadata?.name, objectId(object)).toMatch(/\S/);
        if (!CLUSTER_SCOPED.has(object.kind!))
          expect(object.metadata?.namespace, objectId(object)).toBe(variant.namespace);
      }
      // RUNBOOK.md finds every pod by this label.
      for (const { owner, template } of workloads) {
        expect(template.metadata?.labels?.["app.kubernetes.io/part-of"], objectId(owner)).toBe("seniority");
      }
      const ids = objects.map(objectId);
      expect(new Set(ids).size).toBe(ids.length);
      if (variant.namespace) expect(named(objects, "Namespace", variant.namespace)).toBeDefined();
    });

    it("runs the overlay's image everywhere, from an entry whose --help lists every flag in args", () => {
      expect(containers.length).toBeGreaterThanOrEqual(2);
      for (const { container } of containers) {
        expect(container.image, container.name).toBe(variant.image);
        expect(container.command, container.name).toBeUndefined(); // the image's ENTRYPOINT is node
        const help = entryHelp(entryOf(container));
        for (const arg of container.args!.slice(1)) {
          const flag = arg.split("=")[0]!;
          if (flag.startsWith("--")) expect([...help.flags], `${container.name} ${flag}`).toContain(flag);
        }
      }
      expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "--enable-source-maps"\]$/m);
    });

    it("sets only SENIORITY_* variables its entry reads, with values its own parsers accept", async () => {
      for (const { container } of containers) {
        const entry = entryOf(container);
        const env = environment(objects, container);
        const help = entryHelp(entry);
        const unknown = Object.keys(env).filter(
          (name) => !help.envs.has(name) && !readByTelemetry(name) && !PLATFORM_ENV.has(name),
        );
        expect(unknown, `${container.name}: variables ${entry} does not read`).toEqual([]);
        await expect(
          parseEntryConfig(entry, container.args!.slice(1), env),
          container.name,
        ).resolves.toBeTypeOf("object");
      }
    });

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
      for (const object of objects.filter(
        (o) => o.kind === "PodDisruptionBudget" || o.kind === "PodMonitor",
      )) {
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

    it("refers only to rendered ConfigMaps and ServiceAccounts and to the external Secrets", () => {
      expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
      for (const { owner, template, container } of containers) {
        for (const source of container.envFrom ?? []) {
          expect(source.secretRef, objectId(owner)).toBeUndefined();
          expect(named(objects, "ConfigMap", source.configMapRef!.name), objectId(owner)).toBeDefined();
        }
        for (const variable of container.env ?? []) {
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref) expect([...EXTERNAL_SECRETS], `${objectId(owner)} ${variable.name}`).toContain(ref.name);
        }
        for (const volume of template.spec.volumes ?? []) {
          const secret = volume.secret?.secretName;
          if (secret)
            expect([...EXTERNAL_SECRETS], `${objectId(owner)} volume ${volume.name}`).toContain(secret);
        }
        const account = template.spec.serviceAccountName;
        if (account) expect(named(objects, "ServiceAccount", account), objectId(owner)).toBeDefined();
      }
    });

    it("points host:port (and dns:///) settings that name a Service at one of its ports", () => {
      for (const { container } of containers) {
        for (const [name, value] of Object.entries(environment(objects, container))) {
          const match = /^(?:dns:\/\/\/)?([a-z0-9-]+)(?:\.[a-z0-9-]+\.svc(?:\.cluster\.local)?)?:(\d+)$/.exec(
            value,
          );
          if (!match) continue;
          const service = named(objects, "Service", match[1]!);
          if (!service) continue; // outside this tree (the real model)
          const ports = (service.spec as { ports: { port: number }[] }).ports.map((p) => p.port);
          expect(ports, `${container.name} ${name}=${value}`).toContain(Number(match[2]));
        }
      }
      const augmenter = containers.find(({ container }) => container.name === "augmenter")!;
      // Every proxy pod, round-robin: the headless Service (a ClusterIP pins one pod a connection).
      const env = environment(objects, augmenter.container);
      expect(env["SENIORITY_PROXY"]).toBe("dns:///seniority-cache-headless:50052");
      expect(named(objects, "Service", "seniority-cache-headless")!.spec).toMatchObject({
        clusterIP: "None",
      });
      expect(env["SENIORITY_PROXY_TLS_SERVER_NAME"]).toBe("seniority-cache");
    });

    it("stops gracefully: grace period covers preStop sleep and the drain budget", () => {
      for (const { owner, template, container } of containers) {
        const env = environment(objects, container);
        const sleep = Number(container.lifecycle?.preStop?.exec?.command[1] ?? 0);
        const drainMs = env["SENIORITY_GRACE"] ? durationMs(env["SENIORITY_GRACE"]) : 0;
        const grace = template.spec.terminationGracePeriodSeconds ?? 30;
        expect(grace, objectId(owner)).toBeGreaterThanOrEqual(sleep + drainMs / 1000 + 5);
      }
      const cache = containers.find(({ container }) => container.name === "seniority-cache")!;
      expect(cache.container.lifecycle?.preStop?.exec?.command).toEqual(["sleep", "5"]);
    });

    it("sets requests and limits, a heap cap below the memory limit, and the image's non-root user", () => {
      const user = Number(/^USER (\d+):\d+$/m.exec(dockerfile)?.[1]);
      for (const { owner, template, container } of containers) {
        const resources = container.resources;
        for (const kind of ["requests", "limits"] as const) {
          expect(Object.keys(resources?.[kind] ?? {}).sort(), `${objectId(owner)} ${kind}`).toEqual([
            "cpu",
            "memory",
          ]);
        }
        const limitMiB = mebibytes(resources!.limits!["memory"]!);
        const heap = /--max-old-space-size=(\d+)/.exec(
          environment(objects, container)["NODE_OPTIONS"] ?? "",
        )?.[1];
        // What lives outside the V8 heap (code, gRPC, Redis and S3 buffers) needs room too: the
        // proxy's RSS was ~130 MB above its heap when measured.
        if (heap)
          expect(Number(heap), `${objectId(owner)} heap`).toBeLessThanOrEqual(limitMiB - OFF_HEAP_MIB);
        expect(template.spec.securityContext, objectId(owner)).toMatchObject({
          runAsNonRoot: true,
          runAsUser: user,
        });
        expect(container.securityContext, objectId(owner)).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
        });
      }
    });

    it("gives the proxy a miss queue its heap cap can hold beside a full L1 (else it refuses to start)", () => {
      const cache = containers.find(({ container }) => container.name === "seniority-cache")!;
      const env = environment(objects, cache.container);
      const heapMiB = Number(/--max-old-space-size=(\d+)/.exec(env["NODE_OPTIONS"] ?? "")?.[1]);
      expect(heapMiB, "seniority-cache heap cap").toBeGreaterThan(0);
      // The old space only: the real heap limit is a little larger (young generation).
      const budget = queueHeapBudget({
        l1Entries: Number(env["SENIORITY_CACHE_L1_ENTRIES"] ?? 1_000_000),
        heapLimitBytes: heapMiB * 2 ** 20,
      });
      const bulk = Number(env["SENIORITY_CACHE_MAX_QUEUED"] ?? budget.defaultMaxQueued);
      const interactive = Number(env["SENIORITY_CACHE_MAX_QUEUED_INTERACTIVE"] ?? Math.ceil(bulk / 10));
      expect(queueHeapProblem(bulk + interactive, budget)).toBeUndefined();
    });

    it("gives the proxies the model's total capacity, shared in Redis, and a replicas hint equal to the replicas", () => {
      const deployment = one(objects, "Deployment", "seniority-cache");
      const replicas = (deployment.spec as { replicas: number }).replicas;
      const cache = containers.find(({ container }) => container.name === "seniority-cache")!;
      const env = environment(objects, cache.container);
      // --model-capacity is the total (shared pacing); each replica alone gets capacity / hint.
      expect(env["SENIORITY_CACHE_MODEL_CAPACITY"]).toBe(String(MODEL_CAPACITY));
      expect(env["SENIORITY_CACHE_SHARED_PACING"] ?? "true").toBe("true");
      expect(env["SENIORITY_CACHE_REPLICAS_HINT"]).toBe(String(replicas));
    });
  });
});

describe("kubectl for rendering", () => {
  it.runIf(!KUBECTL)("is missing: the rendered checks above were skipped", () => {
    console.warn(
      "kubectl not found: deploy/k8s was checked without rendering (kustomizeSources.test.ts only)",
    );
  });
  it.runIf(KUBECTL)("is present", () => {
    expect(KUBECTL).toBe("kubectl");
  });
});
