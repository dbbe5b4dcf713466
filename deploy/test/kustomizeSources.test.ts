import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadYaml, loadYamlDocuments } from "./support/loadYaml.js";
import { K8S_DIR } from "./support/paths.js";
import type { K8sObject } from "./support/K8sObject.js";

// Checks of deploy/k8s that need no renderer: every file parses, every reference a kustomization
// makes resolves, every manifest is a well-formed object, and no file is left unreferenced.

interface Kustomization {
  kind?: string;
  resources?: string[];
  components?: string[];
  patches?: { path?: string; patch?: string }[];
  configMapGenerator?: { name: string; envs?: string[]; files?: string[]; literals?: string[] }[];
  /** Transformer configs (where a CRD refers to a ConfigMap): not manifests. */
  configurations?: string[];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const files = walk(K8S_DIR);
const yamlFiles = files.filter((file) => /\.ya?ml$/.test(file));
const kustomizationFiles = yamlFiles.filter((file) => file.endsWith("/kustomization.yaml"));
const rel = (file: string): string => relative(K8S_DIR, file);

/** Every path a kustomization refers to, resolved, with what it must be. */
function references(file: string): { path: string; as: "file" | "kustomization" }[] {
  const k = loadYaml(file) as Kustomization;
  const dir = dirname(file);
  const refs: { path: string; as: "file" | "kustomization" }[] = [];
  for (const entry of k.resources ?? []) {
    const path = resolve(dir, entry);
    refs.push({ path, as: existsSync(path) && statSync(path).isDirectory() ? "kustomization" : "file" });
  }
  for (const entry of k.components ?? []) refs.push({ path: resolve(dir, entry), as: "kustomization" });
  for (const patch of k.patches ?? [])
    if (patch.path) refs.push({ path: resolve(dir, patch.path), as: "file" });
  for (const generator of k.configMapGenerator ?? []) {
    for (const entry of [...(generator.envs ?? []), ...(generator.files ?? [])]) {
      refs.push({ path: resolve(dir, entry), as: "file" });
    }
  }
  for (const entry of k.configurations ?? []) refs.push({ path: resolve(dir, entry), as: "file" });
  return refs;
}

/** The transformer configs the kustomizations name (YAML, but not Kubernetes objects). */
const configurationFiles = new Set(
  kustomizationFiles.flatMap((file) =>
    ((loadYaml(file) as Kustomization).configurations ?? []).map((entry) => resolve(dirname(file), entry)),
  ),
);

describe("deploy/k8s sources", () => {
  it("has the base, both overlays and the four components", () => {
    expect(kustomizationFiles.map(rel).sort()).toEqual([
      "base/kustomization.yaml",
      "components/augmenter-cronjob/kustomization.yaml",
      "components/augmenter-scaledjob/kustomization.yaml",
      "components/autoscaling/kustomization.yaml",
      "components/prometheus-rules/kustomization.yaml",
      "overlays/production/kustomization.yaml",
      "overlays/staging/kustomization.yaml",
    ]);
  });

  it("parses every YAML file", () => {
    for (const file of yamlFiles) expect(() => loadYamlDocuments(file), rel(file)).not.toThrow();
  });

  it("resolves every resource, component, patch and env file a kustomization names", () => {
    const missing: string[] = [];
    for (const file of kustomizationFiles) {
      for (const ref of references(file)) {
        const ok =
          ref.as === "kustomization"
            ? existsSync(join(ref.path, "kustomization.yaml"))
            : existsSync(ref.path);
        if (!ok) missing.push(`${rel(file)} → ${relative(K8S_DIR, ref.path)} (${ref.as})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("references every file under deploy/k8s from some kustomization (no stray manifests)", () => {
    const referenced = new Set(kustomizationFiles.flatMap((file) => references(file).map((ref) => ref.path)));
    const stray = files.filter((file) => !file.endsWith("/kustomization.yaml") && !referenced.has(file));
    expect(stray.map(rel)).toEqual([]);
  });

  it("gives every manifest and patch an apiVersion, a kind and a name", () => {
    const manifests = yamlFiles.filter(
      (file) => !file.endsWith("/kustomization.yaml") && !configurationFiles.has(file),
    );
    expect(configurationFiles.size).toBe(1);
    const bad: string[] = [];
    for (const file of manifests) {
      for (const object of loadYamlDocuments(file) as K8sObject[]) {
        if (!object.apiVersion || !object.kind || !object.metadata?.name) bad.push(rel(file));
      }
    }
    expect(manifests.length).toBeGreaterThan(10);
    expect(bad).toEqual([]);
  });

  it("keeps every env file to KEY=VALUE lines with upper-case keys", () => {
    const envFiles = files.filter((file) => file.endsWith(".env"));
    expect(envFiles.map(rel).sort()).toEqual([
      "base/augmenter/config.env",
      "base/seniority-cache/config.env",
    ]);
    for (const file of envFiles) {
      const lines = loadEnvLines(file);
      expect(lines.length, rel(file)).toBeGreaterThan(5);
      for (const line of lines) expect(line, rel(file)).toMatch(/^[A-Z][A-Z0-9_]*=\S.*$/);
    }
  });

  it("commits no Secret (the Redis URL Secret is created outside the tree)", () => {
    const kinds = yamlFiles.flatMap((file) =>
      (loadYamlDocuments(file) as K8sObject[]).map((object) => object.kind),
    );
    expect(kinds).not.toContain("Secret");
    const generators = kustomizationFiles.filter((file) => "secretGenerator" in (loadYaml(file) as object));
    expect(generators).toEqual([]);
  });
});

function loadEnvLines(file: string): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"));
}
