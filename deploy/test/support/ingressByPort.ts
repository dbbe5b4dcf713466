import type { Container } from "./K8sObject.js";
import { policySelects, type Peer, type PolicySpec } from "./NetworkPolicySpec.js";
import type { Pod } from "./renderedVariants.js";

/** Who may open each of the pod's container ports, by port name: the union of every policy's rules. */
export function ingressByPort(policies: PolicySpec[], pod: Pod, container: Container): Map<string, Peer[]> {
  const peers = new Map<string, Peer[]>((container.ports ?? []).map((port) => [port.name!, []]));
  for (const policy of policies.filter((p) =>
    policySelects(p.podSelector, pod.template.metadata?.labels ?? {}),
  )) {
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
