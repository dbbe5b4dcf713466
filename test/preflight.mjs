#!/usr/bin/env node
// The one check before any test (`npm test` runs it as `pretest`): every system program the tests
// and .ci/run use is present, or it is installed (root + apt-get), or the run stops at once with
// ONE line naming the Debian packages to install. SENIORITY_NO_INSTALL=1: never install, only name.
//
// Cheap on purpose when all is present: PATH lookups in-process and one python3 start.
// kubectl is not checked: the deploy tests that render with it skip (with a warning) without it.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** Debian's python (not a pyenv one on PATH): where python3-grpcio/-protobuf/-boto3 install. */
const PYTHON = "/usr/bin/python3";

/** Programs looked up on PATH → the Debian package that provides each. */
const PROGRAMS = [
  ["redis-server", "redis-server"], // the tests' real Redis (libs/testkit/src/RedisServer.ts)
  ["redis-cli", "redis-tools"],
  ["promtool", "prometheus"], // deploy/test: rules, rule unit tests, dashboard queries
  ["jq", "jq"], // the augmenter benchmark's baseline (.ci/run runs bench:quick)
];

/** Python modules the interop tests import → the Debian package that provides each. */
const PYTHON_MODULES = [
  ["grpc", "python3-grpcio"],
  ["google.protobuf", "python3-protobuf"],
  ["boto3", "python3-boto3"],
];

function onPath(program) {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** The Python modules /usr/bin/python3 cannot import (all of them when there is no such python). */
function missingPythonModules() {
  const script = [
    "import importlib, sys",
    `for name in ${JSON.stringify(PYTHON_MODULES.map(([name]) => name))}:`,
    "    try: importlib.import_module(name)",
    "    except Exception: print(name)",
  ].join("\n");
  const result = spawnSync(PYTHON, ["-c", script], { encoding: "utf8" });
  if (result.error || result.status !== 0) return PYTHON_MODULES.map(([name]) => name);
  return result.stdout.split("\n").filter((line) => line !== "");
}

/** The Debian packages that would provide what is missing now (empty: all present). */
function missingPackages() {
  const packages = PROGRAMS.filter(([program]) => !onPath(program)).map(([, pkg]) => pkg);
  const modules = new Set(missingPythonModules());
  // (without /usr/bin/python3 every module is missing; its packages bring python3 with them)
  for (const [name, pkg] of PYTHON_MODULES) if (modules.has(name)) packages.push(pkg);
  return packages;
}

/** Why installing is not possible here, or undefined when apt-get as root can try. */
function cannotInstall() {
  if (process.env.SENIORITY_NO_INSTALL === "1") return "SENIORITY_NO_INSTALL=1";
  if (process.getuid?.() !== 0) return "not root";
  if (!onPath("apt-get")) return "no apt-get";
  return undefined;
}

function install(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  process.stderr.write(`preflight: installing ${packages.join(" ")} (apt-get)\n`);
  const options = { env, stdio: ["ignore", "ignore", "inherit"] };
  const update = spawnSync("apt-get", ["update", "-qq"], options);
  if (update.status !== 0) return false;
  const args = ["install", "-y", "-qq", "--no-install-recommends", ...packages];
  return spawnSync("apt-get", args, options).status === 0;
}

function stop(packages, why) {
  const list = packages.join(" ");
  process.stderr.write(
    `preflight: missing ${list}: install them with \`apt-get install ${list}\` (${why})\n`,
  );
  process.exit(1);
}

const missing = missingPackages();
if (missing.length > 0) {
  const why = cannotInstall();
  if (why !== undefined) stop(missing, why);
  if (!install(missing)) stop(missing, "apt-get failed");
  const still = missingPackages();
  if (still.length > 0) stop(still, "still missing after apt-get");
}
