import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, S3Server } from "@seniority/testkit";

// Safe defaults and clear failures (issue 10 items 3 and 4, issue 9 item 5), through the real
// `seniority` binary: bad --host is a usage error, /metrics listens where gRPC does, a missing
// region names AWS_REGION, S3 runs print no SDK warnings, a missing bucket is exit 2, and the
// spill directory is the one given by --spill-dir.

const BIN = resolve(import.meta.dirname, "../../services/cli/bin/seniority.js");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function seniority(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd?: string,
): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { env, cwd, timeout: 60_000 }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Resolves true when something accepts TCP connections at host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, host);
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

/** The environment without any AWS setting (so nothing points at a region or an endpoint). */
function withoutAws(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { SENIORITY_LOG_LEVEL: "silent" };
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("AWS_") && !name.startsWith("SENIORITY_")) env[name] = value;
  }
  return { ...env, ...extra };
}

describe("a bad --host is a usage error (one line, exit 2)", () => {
  it.each([
    ["model-sim", ["model-sim", "--port", "0", "--http-port", "0"]],
    ["cache", ["cache", "--port", "0", "--http-port", "0", "--store", "memory"]],
  ])("%s --host 10.255.255.1 (no interface has it)", async (_name, args) => {
    const run = await seniority([...args, "--host", "10.255.255.1"], withoutAws());
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "error: --host 10.255.255.1: cannot listen there (no interface of this machine has that address)\n",
    });
  });

  it("model-sim --host with a name that does not resolve", async () => {
    const run = await seniority(
      ["model-sim", "--port", "0", "--http-port", "0", "--host", "no-such-host.invalid"],
      withoutAws(),
    );
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: --host no-such-host.invalid: cannot listen there (the name does not resolve)\n",
    });
  });
});

describe("a cache in front of a simulator", () => {
  it("--model-identity sim: its namespace is the simulated one", async () => {
    const child = execFile(
      process.execPath,
      [BIN, "cache", "--port", "0", "--http-port", "0", "--store", "memory", "--model-identity", "sim"],
      { env: withoutAws() },
    );
    try {
      const line = await new Promise<string>((done, fail) => {
        child.stdout!.on("data", (chunk: Buffer) => done(chunk.toString()));
        child.once("exit", (code) => fail(new Error(`cache exited with ${code}`)));
      });
      expect(line).toMatch(/, namespace v1:std:sim:k2\)\n$/);
    } finally {
      child.kill("SIGTERM");
    }
  });
});

describe("the cache's /metrics port listens on the --host of gRPC", () => {
  it("with --host 127.0.0.2, HTTP is on 127.0.0.2 only (not on every interface)", async () => {
    const [grpcPort, httpPort] = [await freePort(), await freePort()];
    const child = execFile(
      process.execPath,
      [
        BIN,
        "cache",
        "--host",
        "127.0.0.2",
        "--port",
        String(grpcPort),
        "--http-port",
        String(httpPort),
        "--store",
        "memory",
      ],
      { env: withoutAws() },
    );
    try {
      await new Promise<void>((done, fail) => {
        child.stdout!.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("seniority-cache listening")) done();
        });
        child.once("exit", (code) => fail(new Error(`cache exited with ${code}`)));
      });
      expect(await accepts("127.0.0.2", httpPort)).toBe(true);
      expect(await accepts("127.0.0.1", httpPort)).toBe(false);
      expect(await accepts("127.0.0.1", grpcPort)).toBe(false);
    } finally {
      child.kill("SIGTERM");
    }
  });
});

describe("augment on S3", () => {
  let server: S3Server;
  let root: string;
  beforeAll(async () => {
    server = await S3Server.start(["rl-data"]);
    root = mkdtempSync(join(tmpdir(), "safe-defaults-"));
    const client = server.client();
    // More files than Node's listener warning threshold (10), each over a 1-byte spill limit.
    for (let i = 0; i < 24; i++) {
      const lines = Array.from({ length: 20 }, (_, n) =>
        JSON.stringify({ url: `u${i}-${n}`, company: `Company ${n % 3}`, title: "CFO", scraped_on: 1 }),
      );
      await client.send(
        new PutObjectCommand({
          Bucket: "rl-data",
          Key: `raw/${1721183940 + 60 * i}.jsonl`,
          Body: lines.join("\n") + "\n",
        }),
      );
    }
    client.destroy();
  });
  afterAll(async () => {
    await server?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const augment = (extra: string[], env: NodeJS.ProcessEnv): Promise<Run> =>
    seniority(["augment", "--once", "--model", "sim", "--store", "memory", ...extra], env, root);

  it("without a region: one line naming AWS_REGION, exit 1", async () => {
    const run = await augment(
      ["--input", "s3://rl-data/raw/", "--output", "s3://rl-data/mod/"],
      withoutAws({
        HOME: root,
        AWS_ACCESS_KEY_ID: "x",
        AWS_SECRET_ACCESS_KEY: "y",
        AWS_CONFIG_FILE: join(root, "none"),
      }),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^augment: Region is missing: set AWS_REGION[^\n]*\n$/);
  });

  it("a bucket that does not exist: exit 2 naming it", async () => {
    const run = await augment(
      ["--input", "s3://no-such-bucket/raw/", "--output", "s3://rl-data/nowhere/"],
      withoutAws(server.env),
    );
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: input bucket does not exist: s3://no-such-bucket/raw/\n",
    });
  });

  it("a normal run prints no SDK or listener warning, and spills into --spill-dir, not $TMPDIR", async () => {
    const spill = join(root, "spill");
    mkdirSync(spill);
    // $TMPDIR unusable (as on the pod's read-only root filesystem): only --spill-dir can work.
    const env = withoutAws({ ...server.env, TMPDIR: join(root, "no-such-tmp") });
    const run = await augment(
      [
        "--input",
        "s3://rl-data/raw/",
        "--output",
        "s3://rl-data/mod/",
        "--spill-bytes",
        "1",
        "--spill-dir",
        spill,
        "--concurrency",
        "16",
      ],
      env,
    );
    expect(run.stderr).not.toContain("Warning");
    expect(run.stderr).toMatch(/^(\{[^\n]*"level":40[^\n]*\}\n)?$/); // at most the "levels are simulated" line
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ files: { done: 24, failed: 0 } });
    expect(readdirSync(spill)).toEqual([]); // each spill file is removed after its put

    // The same run without --spill-dir fails every file (EROFS / ENOENT in $TMPDIR)…
    const broken = await augment(
      ["--input", "s3://rl-data/raw/", "--output", "s3://rl-data/mod-2/", "--spill-bytes", "1"],
      env,
    );
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout.trim().split("\n").pop()!)).toMatchObject({
      files: { done: 0, failed: 24 },
    });
  });

  it("a --spill-dir that is not a writable directory: exit 2 naming the flag", async () => {
    const readOnly = join(root, "read-only");
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    const missing = join(root, "missing");
    const args = (dir: string) => [
      "--input",
      "s3://rl-data/raw/",
      "--output",
      "s3://rl-data/mod-3/",
      "--spill-dir",
      dir,
    ];
    expect(await augment(args(missing), withoutAws(server.env))).toEqual({
      code: 2,
      stdout: "",
      stderr: `error: --spill-dir ${missing} is not a directory\n`,
    });
    if (process.getuid?.() !== 0) {
      // root may write anywhere: the check can only be seen failing as another user.
      expect(await augment(args(readOnly), withoutAws(server.env))).toEqual({
        code: 2,
        stdout: "",
        stderr: `error: --spill-dir ${readOnly} is not writable\n`,
      });
    }
  });
});
