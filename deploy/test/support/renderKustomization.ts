import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { stringify } from "yaml";
import type { K8sObject } from "./K8sObject.js";
import { loadYaml, loadYamlDocuments } from "./loadYaml.js";

/**
 * `kubectl kustomize` (kustomize built into kubectl), when this machine has kubectl; undefined
 * otherwise. No standalone kustomize is installed from a registry: the npm packages are stale
 * wrappers that download binaries, which this environment cannot fetch.
 */
export const KUBECTL: string | undefined = findKubectl();

function findKubectl(): string | undefined {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return "kubectl";
  } catch {
    return undefined;
  }
}

/** The objects `kubectl kustomize dir` renders. */
export function renderKustomization(dir: string): K8sObject[] {
  if (!KUBECTL) throw new Error("kubectl is not installed");
  const text = execFileSync(KUBECTL, ["kustomize", dir], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return loadYamlDocuments(text, { text: true }) as K8sObject[];
}

/**
 * Renders `overlayDir` with extra components, as if they were listed in the overlay itself (so
 * the overlay's namespace, images and generated names apply to them): the overlay is copied to a
 * temporary directory and its relative directory references are re-pointed at the originals.
 */
export function renderOverlayWithComponents(
  overlayDir: string,
  componentDirs: readonly string[],
): K8sObject[] {
  const copy = mkdtempSync(join(tmpdir(), "seniority-overlay-"));
  try {
    cpSync(overlayDir, copy, { recursive: true });
    const kustomization = loadYaml(join(copy, "kustomization.yaml")) as Record<string, unknown>;
    // Entries inside the overlay were copied along; entries above it (../../base) are re-pointed.
    const repoint = (entry: string): string =>
      entry.startsWith("../") ? relative(copy, resolve(overlayDir, entry)) : entry;
    kustomization["resources"] = ((kustomization["resources"] as string[] | undefined) ?? []).map(repoint);
    kustomization["components"] = [
      ...((kustomization["components"] as string[] | undefined) ?? []).map(repoint),
      ...componentDirs.map((dir) => relative(copy, dir)),
    ];
    writeFileSync(join(copy, "kustomization.yaml"), stringify(kustomization));
    return renderKustomization(copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
