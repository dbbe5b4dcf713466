import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { freePort } from "@seniority/testkit";
import { acceptsConnections } from "../support/acceptsConnections.js";
import { execSeniority } from "../support/execSeniority.js";
import { SENIORITY_BIN } from "../support/runCli.js";
import { withoutAws } from "../support/withoutAws.js";

// Safe defaults and clear failures (issue 10 items 3 and 4), through the real `seniority` binary:
// a bad --host is a usage error, a simulator's cache says its namespace, and /metrics listens
// where gRPC does.

describe("a bad --host is a usage error (one line, exit 2)", () => {
  it.each([
    ["model-sim", ["model-sim", "--port", "0", "--http-port", "0"]],
    ["cache", ["cache", "--port", "0", "--http-port", "0", "--store", "memory"]],
  ])("%s --host 10.255.255.1 (no interface has it)", async (_name, args) => {
    const run = await execSeniority([...args, "--host", "10.255.255.1"], withoutAws());
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "error: --host 10.255.255.1: cannot listen there (no interface of this machine has that address)\n",
    });
  });

  it("model-sim --host with a name that does not resolve", async () => {
    const run = await execSeniority(
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
      [
        SENIORITY_BIN,
        "cache",
        "--port",
        "0",
        "--http-port",
        "0",
        "--store",
        "memory",
        "--model-identity",
        "sim",
      ],
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
        SENIORITY_BIN,
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
      expect(await acceptsConnections("127.0.0.2", httpPort)).toBe(true);
      expect(await acceptsConnections("127.0.0.1", httpPort)).toBe(false);
      expect(await acceptsConnections("127.0.0.1", grpcPort)).toBe(false);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
