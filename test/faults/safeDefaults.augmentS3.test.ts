import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Server } from "@seniority/testkit";
import { execSeniority, type SeniorityRun } from "../support/execSeniority.js";
import { withoutAws } from "../support/withoutAws.js";

// Safe defaults and clear failures (issue 10 item 4, issue 9 item 5), through the real `seniority`
// binary: a missing region names AWS_REGION, S3 runs print no SDK warnings, a missing bucket is
// exit 2, and the spill directory is the one given by --spill-dir.

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

  const augment = (extra: string[], env: NodeJS.ProcessEnv): Promise<SeniorityRun> =>
    execSeniority(["augment", "--once", "--model", "sim", "--store", "memory", ...extra], env, root);

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
