import { collectDefaultMetrics, Registry } from "prom-client";

/** A registry of one service's own (never the global one), with process metrics prefixed by it. */
export function createRegistry(service: string, options: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
