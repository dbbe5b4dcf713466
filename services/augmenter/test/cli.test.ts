import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort, S3Server } from "@seniority/testkit";
import { jsonlFixture } from "./jsonlFixture.js";
import { S3Fixture } from "./s3Helpers.js";
import { useSimProxy } from "./support/useSimProxy.js";

const BIN = fileURLToPath(new URL("../../cli/bin/seniority.js", import.meta.url));
const KEYS = ["1721183934.jsonl", "1721183994.jsonl"];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describe("seniority augment (the CLI in a child process)", () => {
  const models = useSimProxy();
  let server: S3Server;
  let s3: S3Fixture;
  beforeAll(async () => {
    server = await S3Server.start(["rl-data"]);
    s3 = new S3Fixture(server);
    for (const [i, key] of KEYS.entries()) {
      const bytes = jsonlFixture(10 + i, 400).bytes;
      await s3.put(`kill-raw/${key}`, bytes);
      await s3.put(`clean-raw/${key}`, bytes);
    }
  });
  afterAll(async () => {
    await s3?.close();
    await server?.close();
  });

  function start(
    args: string[],
    env: Record<string, string> = {},
  ): { child: ChildProcess; exit: Promise<Exit> } {
    const child = spawn(process.execPath, [BIN, "augment", ...args], {
      env: { ...process.env, ...server.env, SENIORITY_LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exit = new Promise<Exit>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
    );
    return { child, exit };
  }
  const once = (name: string, extra: string[] = []) =>
    start([
      "--once",
      "--input",
      `s3://rl-data/${name}-raw/`,
      "--output",
      `s3://rl-data/${name}-mod/`,
      "--errors",
      `s3://rl-data/${name}-errors/`,
      "--proxy",
      models.proxyAddress,
      ...extra,
    ]);
  const summaryOf = (exit: Exit) =>
    JSON.parse(exit.stdout.trim().split("\n").pop()!) as {
      files: Record<string, number>;
      failedFiles: string[];
    };

  it("killed mid-file and rerun, gives outputs byte-identical to a clean run", async () => {
    models.sim.setFaults({ latencyMs: 100 });
    const batchesBefore = models.sim.stats().batches;
    const killed = once("kill", ["--chunk-lines", "50", "--concurrency", "1", "--local-cache-entries", "0"]);
    try {
      await vi.waitFor(() => expect(models.sim.stats().batches).toBeGreaterThan(batchesBefore), {
        timeout: 15_000,
        interval: 10,
      });
    } finally {
      killed.child.kill("SIGKILL");
      models.sim.setFaults({ latencyMs: 0 });
    }
    expect((await killed.exit).signal).toBe("SIGKILL");
    expect(await s3.head(`kill-mod/${KEYS[0]}`)).toBeUndefined();

    const rerun = await once("kill").exit;
    expect(rerun.code).toBe(0);
    expect(summaryOf(rerun).files).toEqual({ done: 2, failed: 0, skipped: 0, aborted: 0 });
    const clean = await once("clean").exit;
    expect(clean.code).toBe(0);
    for (const key of KEYS) {
      for (const folder of ["mod", "errors"]) {
        const rerunBytes = await s3.get(`kill-${folder}/${key}`);
        expect(rerunBytes.length).toBeGreaterThan(0);
        expect(rerunBytes.equals(await s3.get(`clean-${folder}/${key}`))).toBe(true);
      }
      expect((await s3.head(`kill-mod/${key}`))!.metadata).toEqual(
        (await s3.head(`clean-mod/${key}`))!.metadata,
      );
      // The namespace the proxy reported at start (its admin GetStats): the real model's.
      expect((await s3.head(`clean-mod/${key}`))!.metadata["cache-namespace"]).toBe("v1:std:m:k2");
    }

    // After the checkpoint: nothing to look at; --rescan verifies both outputs.
    const third = await once("kill").exit;
    expect(summaryOf(third).files).toEqual({ done: 0, failed: 0, skipped: 0, aborted: 0 });
    const rescan = await once("kill", ["--rescan"]).exit;
    expect(summaryOf(rescan).files).toEqual({ done: 0, failed: 0, skipped: 2, aborted: 0 });
  });

  it("with the proxy down, says so at start in one line and exits 1, writing nothing", async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    // Errors would go to the default place: dead-mod-errors/, from the output's own prefix.
    const { exit } = start([
      "--once",
      "--input",
      "s3://rl-data/clean-raw/",
      "--output",
      "s3://rl-data/dead-mod/",
      "--proxy",
      dead,
      "--retries",
      "1",
    ]);
    const result = await exit;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^augment: the proxy at ${dead} is not reachable \\(health check: [^\n]+\\)\n$`),
    );
    expect(result.stdout).toBe("");
    expect(await s3.head(`dead-mod/${KEYS[0]}`)).toBeUndefined();
    expect(await s3.head(`dead-mod-errors/${KEYS[0]}`)).toBeUndefined();
  });

  it("in --watch, serves metrics and exits 0 on SIGTERM", async () => {
    const httpPort = await freePort();
    const { child, exit } = start(
      [
        "--watch",
        "--interval",
        "1s",
        "--input",
        "s3://rl-data/clean-raw/",
        "--output",
        "s3://rl-data/watch-mod/",
        "--http-port",
        String(httpPort),
      ],
      {
        SENIORITY_PROXY: models.proxyAddress,
      },
    );
    await vi.waitFor(async () => expect(await s3.head(`watch-mod/${KEYS[1]}`)).toBeDefined(), {
      timeout: 15_000,
      interval: 50,
    });
    const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    expect(metrics).toContain('augmenter_files_total{outcome="done",service="augmenter"} 2');
    expect(metrics).toMatch(/augmenter_lines_total\{outcome="ok",service="augmenter"\} \d+/);
    expect((await fetch(`http://127.0.0.1:${httpPort}/readyz`)).status).toBe(200);
    child.kill("SIGTERM");
    const result = await exit;
    expect(result.code).toBe(0);
    expect(summaryOf(result).files).toMatchObject({ done: 2, failed: 0 });
  });
});
