import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { REPO_ROOT } from "./paths.js";

/** What a container entry accepts, read from its own `--help`: flags and their SENIORITY_* variables. */
export interface EntryHelp {
  flags: Set<string>;
  envs: Set<string>;
}

const cache = new Map<string, EntryHelp>();

/**
 * Runs `node <entry> --help` (entry relative to the repo root, as in a container's args) and
 * collects "--flag" names and the variables commander lists as "(env: NAME)" or "(default: …, env: NAME)". The services must be built.
 */
export function entryHelp(entry: string): EntryHelp {
  const cached = cache.get(entry);
  if (cached) return cached;
  const path = `${REPO_ROOT}/${entry}`;
  if (!existsSync(path)) throw new Error(`${entry} does not exist: build the services first (npm run build)`);
  const text = execFileSync(process.execPath, [path, "--help"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, COLUMNS: "400" },
  }).replace(/\s+/g, " ");
  const help: EntryHelp = {
    flags: new Set([...text.matchAll(/(?<![\w-])(--[a-z0-9][a-z0-9-]*)/g)].map((m) => m[1]!)),
    envs: new Set([...text.matchAll(/[(,] ?env: ([A-Z0-9_]+)\)/g)].map((m) => m[1]!)),
  };
  cache.set(entry, help);
  return help;
}

/**
 * Variables read directly by shared code rather than through a flag (log level, tracing): valid
 * for every entry when the name occurs as a literal in libs/telemetry/src.
 */
export function readByTelemetry(name: string): boolean {
  for (const file of ["createLogger.ts", "setupTracing.ts"]) {
    const path = `${REPO_ROOT}/libs/telemetry/src/${file}`;
    if (existsSync(path) && readFileSync(path, "utf8").includes(`"${name}"`)) return true;
  }
  return false;
}

/** Standard variables read by Node.js or the AWS SDK, which the manifests may set. */
export const PLATFORM_ENV = new Set(["NODE_OPTIONS", "AWS_REGION", "AWS_ENDPOINT_URL_S3"]);
