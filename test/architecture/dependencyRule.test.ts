import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Workspace {
  dir: string;
  name: string;
  dependencies: string[];
}

const workspaces: Workspace[] = (
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { workspaces: string[] }
).workspaces.map((dir) => {
  const pkg = JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8")) as {
    name: string;
    dependencies?: Record<string, string>;
  };
  return { dir, name: pkg.name, dependencies: Object.keys(pkg.dependencies ?? {}) };
});
const services = new Set(workspaces.filter((w) => w.dir.startsWith("services/")).map((w) => w.name));

// The package rule of docs/architecture.md, on the manifests (eslint's no-restricted-imports holds
// it on the imports): libraries are built on libraries only; only the composition root
// (services/cli) puts services together.
describe("the dependency rule", () => {
  it.each(workspaces.filter((w) => w.dir.startsWith("libs/")).map((w) => [w.dir, w] as const))(
    "%s depends on no service",
    (_dir, workspace) => {
      expect(workspace.dependencies.filter((dep) => services.has(dep))).toEqual([]);
    },
  );

  it.each(
    workspaces
      .filter((w) => w.dir.startsWith("services/") && w.dir !== "services/cli")
      .map((w) => [w.dir, w] as const),
  )("%s depends on no other service", (_dir, workspace) => {
    expect(workspace.dependencies.filter((dep) => services.has(dep))).toEqual([]);
  });
});
