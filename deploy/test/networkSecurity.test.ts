import { describe, expect, it } from "vitest";
import { parseEntryConfig } from "./support/entryCommand.js";
import { objectId, type Container } from "./support/K8sObject.js";
import { KUBECTL } from "./support/renderKustomization.js";
import {
  entryOf,
  environment,
  pods,
  portNamed,
  rendered,
  VARIANTS,
  type Pod,
} from "./support/renderedVariants.js";

// Issue 13.6 on the rendered manifests: ingress denied by default and opened path by path
// (augmenter → proxy, proxy → model, Prometheus → metrics ports only), egress of the proxy and the
// augmenter limited to what they call, the admin port in no Service and on loopback, and every
// secret a mounted file of an external Secret. (No cluster here: what a CNI would enforce is read
// from the policies, not probed.)

interface Peer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string };
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port: number | string; protocol?: string }[];
}
interface PolicySpec {
  podSelector: { matchLabels?: Record<string, string> };
  policyTypes: string[];
  ingress?: Rule[];
  egress?: Rule[];
}

const PROMETHEUS: Peer = {
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
  podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
};
const podsNamed = (name: string): Peer => ({
  podSelector: { matchLabels: { "app.kubernetes.io/name": name } },
});
const PROXY_CLIENT_NAMESPACES: Peer = {
  namespaceSelector: { matchLabels: { "seniority.io/proxy-client": "true" } },
};

const selects = (selector: PolicySpec["podSelector"], labels: Record<string, string>): boolean =>
  Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);

/** Who may open each of the pod's container ports, by port name: the union of every policy's rules. */
function ingressByPort(policies: PolicySpec[], pod: Pod, container: Container): Map<string, Peer[]> {
  const peers = new Map<string, Peer[]>((container.ports ?? []).map((port) => [port.name!, []]));
  for (const policy of policies.filter((p) => selects(p.podSelector, pod.template.metadata?.labels ?? {}))) {
    for (const rule of policy.ingress ?? []) {
      for (const { port } of rule.ports!) {
        const name =
          typeof port === "string" ? port : container.ports?.find((p) => p.containerPort === port)?.name;
        peers.get(name!)!.push(...rule.from!);
      }
    }
  }
  return peers;
}

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
            selects(spec.podSelector, template.metadata?.labels ?? {}),
        );
        expect(own.length, objectId(owner)).toBe(1);
      }
    });

    it("opens the proxy's gRPC port to the augmenter (and labelled caller namespaces), metrics to Prometheus, admin to nobody", () => {
      const { pod, container } = workload("seniority-cache");
      expect(Object.fromEntries(ingressByPort(specs, pod, container))).toEqual({
        grpc: [podsNamed("augmenter"), PROXY_CLIENT_NAMESPACES],
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

    it("lets the proxy reach only the model, Redis and DNS; the augmenter only the proxy, Redis, HTTPS and DNS", () => {
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
      expect(egressPorts("seniority-cache")).toEqual([53, modelPort, 6379, 6380].sort((a, b) => a - b));
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

    it("serves the admin API on loopback only, in no Service, behind the token Secret", async () => {
      const { pod, container } = workload("seniority-cache");
      const admin = portNamed(container, "admin");
      expect(admin).toBe(50053);
      for (const service of objects.filter((o) => o.kind === "Service")) {
        const ports = (service.spec as { ports: { port: number; targetPort: number | string }[] }).ports;
        for (const port of ports) {
          expect([port.port, port.targetPort], objectId(service)).not.toContain(admin);
          expect(port.targetPort, objectId(service)).not.toBe("admin");
        }
      }
      const flags = await parseEntryConfig(
        entryOf(container),
        container.args!.slice(1),
        environment(objects, container),
      );
      expect([flags["adminPort"], flags["adminHost"]]).toEqual([admin, "127.0.0.1"]);
      expect(secretBehind(pod, container, flags["adminTokenFile"] as string)).toEqual({
        secret: "seniority-admin-token",
        key: "token",
      });
    });

    it("runs the model hop with mTLS where the model is ours (staging's model-sim); production's is the model team's choice", async () => {
      /** The Secret and key behind each of `flags` of the workload `name`'s container. */
      const secretsBehind = async (
        name: string,
        flags: string[],
      ): Promise<Record<string, { secret: string; key: string } | undefined>> => {
        const { pod, container } = workload(name);
        const parsed = await parseEntryConfig(
          entryOf(container),
          container.args!.slice(1),
          environment(objects, container),
        );
        return Object.fromEntries(
          flags.map((flag) => {
            const path = parsed[flag];
            return [flag, typeof path === "string" ? secretBehind(pod, container, path) : undefined];
          }),
        );
      };
      const dial = await secretsBehind("seniority-cache", ["modelTlsCa", "modelTlsCert", "modelTlsKey"]);
      if (variant.name !== "staging") {
        expect(dial).toEqual({ modelTlsCa: undefined, modelTlsCert: undefined, modelTlsKey: undefined });
        return;
      }
      expect(dial).toEqual({
        modelTlsCa: { secret: "seniority-cache-tls", key: "ca.crt" },
        modelTlsCert: { secret: "seniority-cache-tls", key: "tls.crt" },
        modelTlsKey: { secret: "seniority-cache-tls", key: "tls.key" },
      });
      expect(await secretsBehind("model-sim", ["tlsCert", "tlsKey", "tlsClientCa"])).toEqual({
        tlsCert: { secret: "model-sim-tls", key: "tls.crt" },
        tlsKey: { secret: "model-sim-tls", key: "tls.key" },
        tlsClientCa: { secret: "model-sim-tls", key: "ca.crt" },
      });
      expect(workload("model-sim").pod.template.spec.securityContext?.fsGroup).toBe(1000);
    });

    it("gives every secret as a file of an external Secret (mode 0440, readable by the pod's group), never in a ConfigMap", async () => {
      const expected: Record<string, Record<string, { secret: string; key: string }>> = {
        "seniority-cache": {
          redisTlsCa: { secret: "seniority-redis-tls", key: "ca.crt" },
          redisTlsCert: { secret: "seniority-redis-tls", key: "tls.crt" },
          redisTlsKey: { secret: "seniority-redis-tls", key: "tls.key" },
          redisPasswordFile: { secret: "seniority-redis", key: "password" },
          tlsCert: { secret: "seniority-cache-tls", key: "tls.crt" },
          tlsKey: { secret: "seniority-cache-tls", key: "tls.key" },
          tlsClientCa: { secret: "seniority-cache-tls", key: "ca.crt" },
        },
        augmenter: {
          redisTlsCa: { secret: "seniority-redis-tls", key: "ca.crt" },
          redisTlsCert: { secret: "seniority-redis-tls", key: "tls.crt" },
          redisTlsKey: { secret: "seniority-redis-tls", key: "tls.key" },
          redisPasswordFile: { secret: "seniority-redis", key: "leases-password" },
          proxyTlsCa: { secret: "augmenter-tls", key: "ca.crt" },
          proxyTlsCert: { secret: "augmenter-tls", key: "tls.crt" },
          proxyTlsKey: { secret: "augmenter-tls", key: "tls.key" },
        },
      };
      for (const [name, files] of Object.entries(expected)) {
        const { pod, container } = workload(name);
        const flags = await parseEntryConfig(
          entryOf(container),
          container.args!.slice(1),
          environment(objects, container),
        );
        for (const [flag, source] of Object.entries(files)) {
          expect(secretBehind(pod, container, flags[flag] as string), `${name} ${flag}`).toEqual(source);
        }
        expect(pod.template.spec.securityContext?.fsGroup, name).toBe(1000);
        for (const volume of pod.template.spec.volumes ?? []) {
          if (volume.secret) expect(volume.secret.defaultMode, `${name} ${volume.name}`).toBe(0o440);
        }
      }
      for (const map of objects.filter((o) => o.kind === "ConfigMap")) {
        for (const [key, value] of Object.entries(map.data ?? {})) {
          if (/PASSWORD|TOKEN|_KEY$|SECRET/.test(key))
            expect(value, `${objectId(map)} ${key}`).toMatch(/^\/etc\/seniority\//);
          expect(value, `${objectId(map)} ${key}`).not.toMatch(/BEGIN .*PRIVATE KEY|:\/\/[^/\s]*:[^/\s]*@/);
        }
      }
    });
  });
});

/** The Secret and key a file path in `container` comes from (through its volume mounts). */
function secretBehind(
  pod: Pod,
  container: Container,
  path: string,
): { secret: string; key: string } | undefined {
  for (const mount of container.volumeMounts ?? []) {
    if (!path.startsWith(`${mount.mountPath}/`)) continue;
    const file = path.slice(mount.mountPath.length + 1);
    const volume = (pod.template.spec.volumes ?? []).find((v) => v.name === mount.name);
    if (!volume?.secret) return undefined;
    const item = volume.secret.items?.find((i) => i.path === file);
    if (volume.secret.items && !item) return undefined;
    return { secret: volume.secret.secretName, key: item?.key ?? file };
  }
  return undefined;
}
