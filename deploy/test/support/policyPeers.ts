import type { Peer } from "./NetworkPolicySpec.js";

// The peers the rendered NetworkPolicies name.

export const PROMETHEUS: Peer = {
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
  podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
};
export const podsNamed = (name: string): Peer => ({
  podSelector: { matchLabels: { "app.kubernetes.io/name": name } },
});
export const PROXY_CLIENT_NAMESPACES: Peer = {
  namespaceSelector: { matchLabels: { "seniority.io/proxy-client": "true" } },
};
