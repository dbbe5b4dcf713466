import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { describe, expect, it } from "vitest";
import { DEPLOY_DIR, REPO_ROOT } from "./support/paths.js";

// deploy/Dockerfile cannot be built here (no Docker engine), so what can go wrong without a build
// is checked instead: every workspace's manifest is copied before `npm ci`, the stages and user
// are as the manifests expect, and the compiled code imports only production dependencies (the
// runtime stage has dev dependencies pruned).

const dockerfile = readFileSync(`${DEPLOY_DIR}/Dockerfile`, "utf8");
const rootPackage = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, "utf8")) as {
  workspaces: string[];
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};

/**
 * Test and benchmark infrastructure: in the image (libs/ is copied whole) but run by nothing there,
 * so its compiled code may import its dev dependencies (vitest, s3rver); no shipped workspace may
 * depend on it or import it (checked below).
 */
const TEST_ONLY_WORKSPACES = ["libs/testkit"];

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = `${dir}/${entry}`;
    if (statSync(path).isDirectory()) return jsFiles(path);
    return path.endsWith(".js") ? [path] : [];
  });
}

/** Module specifiers of tsc's ESM output: static imports and re-exports, side-effect and dynamic imports. */
function importedSpecifiers(text: string): string[] {
  const patterns = [
    /^(?:import|export)\s+(?:type\s+)?(?:\{[^}]*\}|\*\s+as\s+\w+|\*|\w+(?:\s*,\s*\{[^}]*\})?)\s*from\s*["']([^"']+)["']/gm,
    /^import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]!));
}

describe("deploy/Dockerfile", () => {
  it("builds on node:24-slim pinned by digest, in two stages, as the numeric non-root user 1000", () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-slim@sha256:[0-9a-f]{64}$/m);
    expect(dockerfile).toContain("docker buildx imagetools inspect node:24-slim"); // the update step
    expect([...dockerfile.matchAll(/^FROM (\S+) AS (\w+)$/gm)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      "${NODE_IMAGE} build",
      "${NODE_IMAGE} runtime",
    ]);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
  });

  it("installs with npm ci, builds with the root build script, then prunes dev dependencies", () => {
    const ci = dockerfile.indexOf("npm ci");
    const build = dockerfile.indexOf("npm run build");
    const prune = dockerfile.indexOf("npm prune --omit=dev");
    expect(ci).toBeGreaterThan(0);
    expect(build).toBeGreaterThan(ci);
    expect(prune).toBeGreaterThan(build);
    expect(rootPackage.scripts["build"]).toBe("npm run build:proto && tsc -b");
  });

  it("copies the package.json of exactly the root's workspaces before npm ci", () => {
    const copied = [...dockerfile.matchAll(/^COPY (\S+)\/package\.json \1\/$/gm)].map((m) => m[1]);
    expect(copied).toEqual(rootPackage.workspaces);
    const last = rootPackage.workspaces.at(-1)!;
    expect(dockerfile.indexOf("RUN --mount=type=cache,target=/root/.npm npm ci")).toBeGreaterThan(
      dockerfile.indexOf(`COPY ${last}/package.json ${last}/`),
    );
  });

  it("copies the build inputs that exist in the repository", () => {
    const line = /^COPY (tsconfig\.json .*) \.\/$/m.exec(dockerfile)?.[1]?.split(" ") ?? [];
    expect(line).toEqual(["tsconfig.json", "tsconfig.base.json", "buf.yaml", "buf.gen.yaml"]);
    for (const path of [...line, "proto", "libs", "services"])
      expect(statSync(`${REPO_ROOT}/${path}`)).toBeTruthy();
    const runtime = dockerfile.slice(dockerfile.indexOf("AS runtime"));
    for (const path of ["node_modules", "libs", "services"])
      expect(runtime).toContain(`COPY --from=build /app/${path} ${path}`);
  });

  it("keeps node_modules and build output out of the build context", () => {
    const ignored = readFileSync(`${REPO_ROOT}/.dockerignore`, "utf8").split("\n");
    for (const pattern of ["**/node_modules", "**/dist", ".git"]) expect(ignored).toContain(pattern);
  });

  it("needs only production dependencies at run time: compiled code imports nothing from devDependencies", () => {
    const builtins = new Set(builtinModules);
    const allowed = new Set(Object.keys(rootPackage.dependencies));
    const offenders: string[] = [];
    const shipped = rootPackage.workspaces.filter((workspace) => !TEST_ONLY_WORKSPACES.includes(workspace));
    const dists = shipped.map((workspace) => `${REPO_ROOT}/${workspace}/dist`);
    for (const file of dists.flatMap(jsFiles)) {
      const text = readFileSync(file, "utf8");
      for (const specifier of importedSpecifiers(text)) {
        if (specifier.startsWith(".")) continue;
        if (specifier.startsWith("node:") || builtins.has(specifier)) continue;
        const parts = specifier.split("/");
        const pkg = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
        if (pkg === "@seniority/testkit")
          offenders.push(`${file.slice(REPO_ROOT.length + 1)} imports ${specifier}`);
        if (pkg.startsWith("@seniority/") || allowed.has(pkg)) continue;
        offenders.push(`${file.slice(REPO_ROOT.length + 1)} imports ${specifier}`);
      }
    }
    for (const workspace of shipped) {
      const manifest = JSON.parse(readFileSync(`${REPO_ROOT}/${workspace}/package.json`, "utf8")) as {
        dependencies?: Record<string, string>;
      };
      if (manifest.dependencies?.["@seniority/testkit"])
        offenders.push(`${workspace} depends on @seniority/testkit`);
    }
    expect(dists.length).toBe(rootPackage.workspaces.length - TEST_ONLY_WORKSPACES.length);
    expect(offenders).toEqual([]);
  });
});
