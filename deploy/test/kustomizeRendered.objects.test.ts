import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { entryHelp, PLATFORM_ENV, readByTelemetry } from "./support/entryHelp.js";
import { parseEntryConfig } from "./support/entryCommand.js";
import { objectId } from "./support/K8sObject.js";
import { DEPLOY_DIR } from "./support/paths.js";
import { KUBECTL } from "./support/renderKustomization.js";
import { entryOf, environment, named, referencedVariables } from "./support/renderedVariants.js";
import { describeRenderedVariants } from "./support/describeRenderedVariants.js";

// The rendered manifests of every variant (see describeRenderedVariants).
// This file: well-formed objects, every reference resolves, and every SENIORITY_* variable is one
// the container's entry reads, with a value its own parser accepts.

/** Created outside the tree (an ExternalSecret or `kubectl create secret`), never committed. */
const EXTERNAL_SECRETS = new Set([
  "seniority-redis",
  "seniority-redis-tls",
  "seniority-admin-token",
  "seniority-cache-tls",
  "augmenter-tls",
  "model-sim-tls",
]);

const CLUSTER_SCOPED = new Set(["Namespace"]);

const dockerfile = readFileSync(`${DEPLOY_DIR}/Dockerfile`, "utf8");

describeRenderedVariants(({ variant, objects, workloads, containers }) => {
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
      const helpers = referencedVariables(container);
      const unknown = Object.keys(env).filter(
        (name) =>
          !help.envs.has(name) && !readByTelemetry(name) && !PLATFORM_ENV.has(name) && !helpers.has(name),
      );
      expect(unknown, `${container.name}: variables ${entry} does not read`).toEqual([]);
      await expect(
        parseEntryConfig(entry, container.args!.slice(1), env),
        container.name,
      ).resolves.toBeTypeOf("object");
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
