import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RedisServer, S3Server, startAll } from "@seniority/testkit";

// test/preflight.mjs (npm test's pretest step) as on a fresh machine: run in an empty temp dir with
// a PATH made of links to only some programs, and SENIORITY_NO_INSTALL=1 so it never installs.
const PREFLIGHT = fileURLToPath(new URL("../preflight.mjs", import.meta.url));
const PROGRAMS = ["redis-server", "redis-cli", "promtool", "jq"];

function whereIs(program: string): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, program), constants.X_OK);
      return join(dir, program);
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${program} is not on this machine's PATH (the preflight itself should have said so)`);
}

const BASE_TMP = tmpdir(); // before any test points TMPDIR elsewhere
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the preflight in a new temp dir with a PATH that holds only `programs`. */
function preflight(programs: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const cwd = mkdtempSync(join(BASE_TMP, "seniority-preflight-"));
  dirs.push(cwd);
  const bin = join(cwd, "bin");
  mkdirSync(bin);
  for (const program of programs) symlinkSync(whereIs(program), join(bin, program));
  const result = spawnSync(process.execPath, [PREFLIGHT], {
    cwd,
    env: { PATH: bin, SENIORITY_NO_INSTALL: "1" },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("test preflight", () => {
  it("passes silently when every program is present", () => {
    expect(preflight(PROGRAMS)).toEqual({ status: 0, stdout: "", stderr: "" });
  });

  it("stops with one line naming redis-server when PATH hides it", () => {
    expect(preflight(PROGRAMS.filter((p) => p !== "redis-server"))).toEqual({
      status: 1,
      stdout: "",
      stderr:
        "preflight: missing redis-server: install them with `apt-get install redis-server` (SENIORITY_NO_INSTALL=1)\n",
    });
  });

  it("names every package in the one line when several are missing", () => {
    expect(preflight(["redis-server"])).toEqual({
      status: 1,
      stdout: "",
      stderr:
        "preflight: missing redis-tools prometheus jq: install them with " +
        "`apt-get install redis-tools prometheus jq` (SENIORITY_NO_INSTALL=1)\n",
    });
  });
});

// The harnesses on a machine without redis-server: a quick clear failure, and nothing left behind,
// not even by a sibling started in the same Promise (startAll). os.tmpdir() and spawn read TMPDIR
// and PATH at call time, so this file (its own process under vitest's forks pool) can point both
// at temp dirs of its own.
describe("test harnesses when redis-server is missing", () => {
  let saved: { PATH?: string; TMPDIR?: string };
  let tmp: string;
  beforeEach(() => {
    saved = { PATH: process.env.PATH, TMPDIR: process.env.TMPDIR };
    tmp = mkdtempSync(join(BASE_TMP, "seniority-harness-"));
    dirs.push(tmp);
    mkdirSync(join(tmp, "bin"));
    process.env.PATH = join(tmp, "bin");
    process.env.TMPDIR = join(tmp, "tmp");
    mkdirSync(process.env.TMPDIR);
  });
  afterEach(() => {
    process.env.PATH = saved.PATH;
    process.env.TMPDIR = saved.TMPDIR;
  });

  it("RedisServer.start rejects naming redis-server and removes its data dir", async () => {
    await expect(RedisServer.start()).rejects.toThrow(
      "redis-server could not start: spawn redis-server ENOENT",
    );
    expect(readdirSync(join(tmp, "tmp"))).toEqual([]);
  });

  it("startAll closes the S3 server that did start, and its dir, when redis-server fails", async () => {
    const s3Started = S3Server.start(["sibling"]);
    await expect(startAll(RedisServer.start(), s3Started)).rejects.toThrow("spawn redis-server ENOENT");
    const s3 = await s3Started;
    await expect(fetch(s3.endpoint)).rejects.toThrow("fetch failed"); // nothing listens any more
    expect(readdirSync(join(tmp, "tmp"))).toEqual([]);
  });
});
