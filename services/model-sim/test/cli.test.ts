import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { items, simClient } from "./simClient.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = "services/cli/bin/seniority.js";
const MAIN = "services/model-sim/dist/main.js";
const run = promisify(execFile);

function requireBuilt(file: string, project: string): void {
  if (!existsSync(`${ROOT}${file}`)) {
    throw new Error(`${file} is not built; run "npx tsc -b ${project}" (npm test builds everything first)`);
  }
}

/** Runs the CLI to completion; resolves with its exit code and output even when it fails. */
async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run("node", [CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe("seniority model-sim (CLI)", () => {
  beforeAll(() => requireBuilt("services/cli/dist/main.js", "services/cli"));

  it("exits 2 with one line naming a bad flag", async () => {
    const result = await cli(["model-sim", "--capacity", "x"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: option '--capacity <items>' argument 'x' is invalid. expected an integer, got "x".\n`,
    );
  });

  it("exits 2 naming the flag and the variable for a bad environment value", async () => {
    const result = await cli(["model-sim"], { SENIORITY_MODEL_SIM_ERROR_RATE: "1.5" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--error-rate <share>");
    expect(result.stderr).toContain("SENIORITY_MODEL_SIM_ERROR_RATE");
    expect(result.stderr).toContain("expected a number in 0..1, got 1.5.");
  });

  it("lists every flag with its default and environment variable in --help", async () => {
    const { code, stdout } = await cli(["model-sim", "--help"]);
    expect(code).toBe(0);
    const help = stdout.replace(/\s+/g, " ");
    for (const [flag, env] of [
      ["--port <port>", "(default: 50051, env: SENIORITY_MODEL_SIM_PORT)"],
      ["--http-port <port>", "(default: 9465, env: SENIORITY_MODEL_SIM_HTTP_PORT)"],
      ["--host <host>", '(default: "127.0.0.1", env: SENIORITY_MODEL_SIM_HOST)'],
      ["--capacity <items>", "(default: 1000 items/s, env: SENIORITY_MODEL_SIM_CAPACITY)"],
      ["--latency-ms <duration>", "(default: 0 ms, env: SENIORITY_MODEL_SIM_LATENCY_MS)"],
      ["--error-rate <share>", "(default: 0 (no errors), env: SENIORITY_MODEL_SIM_ERROR_RATE)"],
      ["--max-batch <items>", "(env: SENIORITY_MODEL_SIM_MAX_BATCH)"],
    ]) {
      expect(help).toContain(flag);
      expect(help).toContain(env);
    }
    // The description may wrap (commander fits the help to 80 columns off a terminal).
    expect((await cli(["--help"])).stdout.replace(/\s+/g, " ")).toContain(
      " model-sim [options] Run the model simulator (capacity, stats, faults) ",
    );
  });
});

describe("node services/model-sim/dist/main.js (container entry)", () => {
  beforeAll(() => requireBuilt(MAIN, "services/model-sim"));

  it.each(["SIGTERM", "SIGINT"] as const)(
    "prints one line with its addresses, serves, and exits 0 on %s",
    async (signal) => {
      const child = spawn("node", [MAIN, "--host", "127.0.0.1", "--port", "0", "--http-port", "0"], {
        cwd: ROOT,
        env: { ...process.env, SENIORITY_MODEL_SIM_MAX_BATCH: "5" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = once(child, "exit");
      let stdout = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      try {
        await new Promise<void>((resolve, reject) => {
          child.stdout.on("data", () => stdout.includes("\n") && resolve());
          child.once("exit", (code) => reject(new Error(`exited ${code} before printing its addresses`)));
        });
        const match =
          /^model-sim listening: grpc (127\.0\.0\.1:\d+), http (http:\/\/127\.0\.0\.1:\d+) \(capacity 1000 items\/s\)\n$/.exec(
            stdout,
          );
        expect(match, stdout).not.toBeNull();
        const [, grpcAddress, httpBase] = match!;
        expect(await (await fetch(`${httpBase}/healthz`)).text()).toBe("ok\n");
        const client = simClient(grpcAddress!);
        try {
          expect(await client.inferSeniority({ batch: items(2, "CEO") })).toEqual({
            batch: [
              { uuid: 1, seniority: 7 },
              { uuid: 2, seniority: 7 },
            ],
          });
          // the environment variable reached the flag
          await expect(client.inferSeniority({ batch: items(6) })).rejects.toMatchObject({
            details: "batch of 6 items exceeds the max batch size of 5",
          });
        } finally {
          client.close();
        }
        child.kill(signal);
        expect(await exited).toEqual([0, null]);
        expect(stdout.split("\n")).toHaveLength(2); // one line, then nothing more
      } finally {
        child.kill("SIGKILL");
      }
    },
  );
});
