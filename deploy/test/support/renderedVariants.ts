import { podTemplateOf, type Container, type K8sObject, type PodTemplate } from "./K8sObject.js";
import { K8S_DIR } from "./paths.js";
import { renderKustomization, renderOverlayWithComponents } from "./renderKustomization.js";

// The rendered variants of deploy/k8s and lookups over their objects, shared by the rendered-
// manifest tests. Rendering needs kubectl (see KUBECTL); each variant renders once per test file.

/** A stand-in for the Redis Secret's value when config is parsed (the Secret is never rendered). */
export const SECRET_STAND_IN = "redis://redis.example.internal:6379/0";
/** What the kubelet would put for a fieldRef (the downward API), by field path. */
const FIELD_STAND_INS: Record<string, string> = { "status.podIP": "10.1.2.3" };

export interface Variant {
  name: string;
  /** Memoized by `rendered`. */
  render: () => K8sObject[];
  namespace: string | undefined;
  image: string;
}

export const VARIANTS: Variant[] = [
  {
    name: "base",
    render: () => renderKustomization(`${K8S_DIR}/base`),
    namespace: undefined,
    image: "seniority:dev",
  },
  {
    name: "staging",
    render: () => renderKustomization(`${K8S_DIR}/overlays/staging`),
    namespace: "seniority-staging",
    image: "registry.example.internal/seniority:staging",
  },
  {
    name: "production",
    render: () => renderKustomization(`${K8S_DIR}/overlays/production`),
    namespace: "seniority",
    image: "registry.example.internal/seniority:0.1.0",
  },
  {
    name: "production + augmenter-cronjob",
    render: () =>
      renderOverlayWithComponents(`${K8S_DIR}/overlays/production`, [
        `${K8S_DIR}/components/augmenter-cronjob`,
      ]),
    namespace: "seniority",
    image: "registry.example.internal/seniority:0.1.0",
  },
];

const renders = new Map<string, K8sObject[]>();
export function rendered(variant: Variant): K8sObject[] {
  let objects = renders.get(variant.name);
  if (!objects) renders.set(variant.name, (objects = variant.render()));
  return objects;
}

export interface Pod {
  owner: K8sObject;
  template: PodTemplate;
}

export function pods(objects: K8sObject[]): Pod[] {
  return objects.flatMap((owner) => {
    const template = podTemplateOf(owner);
    return template ? [{ owner, template }] : [];
  });
}

export function named(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata?.name === name);
}

export function one(objects: K8sObject[], kind: string, name: string): K8sObject {
  const object = named(objects, kind, name);
  if (!object) throw new Error(`${kind}/${name} is not rendered`);
  return object;
}

/** The container's environment as the kubelet would build it (the Secret replaced by a stand-in). */
export function environment(objects: K8sObject[], container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    if (name) Object.assign(env, one(objects, "ConfigMap", name).data ?? {});
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.secretKeyRef) env[variable.name] = SECRET_STAND_IN;
    else if (variable.valueFrom?.configMapKeyRef) {
      const ref = variable.valueFrom.configMapKeyRef;
      env[variable.name] = one(objects, "ConfigMap", ref.name).data?.[ref.key] ?? "";
    } else if (variable.valueFrom?.fieldRef) {
      const path = variable.valueFrom.fieldRef.fieldPath;
      const value = FIELD_STAND_INS[path];
      if (value === undefined) throw new Error(`no stand-in for the downward API field ${path}`);
      env[variable.name] = value;
    }
    // As the kubelet does, $(NAME) takes the value of a variable defined before this one.
    if (variable.value !== undefined) {
      env[variable.name] = variable.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (ref, name: string) =>
        name in env ? env[name]! : ref,
      );
    }
  }
  return env;
}

/** Variables other variables of `container` refer to as $(NAME) (helpers, e.g. the pod IP). */
export function referencedVariables(container: Container): Set<string> {
  const values = (container.env ?? []).map((variable) => variable.value ?? "").join(" ");
  return new Set([...values.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].map((match) => match[1]!));
}

export function entryOf(container: Container): string {
  const entry = container.args?.[0];
  if (!entry) throw new Error(`container ${container.name} has no entry in args[0]`);
  return entry;
}

export function portNamed(container: Container, name: string): number | undefined {
  return container.ports?.find((port) => port.name === name)?.containerPort;
}

/** "512Mi" / "1Gi" → MiB. */
export function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
}

/** The variant called `name`, rendered. */
export function renderedVariant(name: string): K8sObject[] {
  const variant = VARIANTS.find((v) => v.name === name);
  if (!variant) throw new Error(`no variant ${name}`);
  return rendered(variant);
}
