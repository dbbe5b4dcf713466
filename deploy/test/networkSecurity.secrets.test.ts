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
import { secretBehind } from "./support/secretBehind.js";

// Issue 13.6 on the rendered manifests, the secrets: the admin port in no Service and on loopback,
// mTLS on the model hop where the model is ours, and every secret a mounted file of an external
// Secret.

describe.skipIf(!KUBECTL)("deploy/k8s network security (issue 13.6)", () => {
  describe.each(VARIANTS)("$name", (variant) => {
    const objects = rendered(variant);
    const workloads = pods(objects);
    const workload = (name: string): { pod: Pod; container: Container } => {
      const pod = workloads.find((w) => w.template.metadata?.labels?.["app.kubernetes.io/name"] === name)!;
      return { pod, container: pod.template.spec.containers[0]! };
    };

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
          // Peer ownership: its own certificate (both usages) as the client to its peers.
          peerTlsCa: { secret: "seniority-cache-tls", key: "ca.crt" },
          peerTlsCert: { secret: "seniority-cache-tls", key: "tls.crt" },
          peerTlsKey: { secret: "seniority-cache-tls", key: "tls.key" },
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
