import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelSim } from "@seniority/model-sim";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useRedis, waitFor, type RedisServer } from "@seniority/testkit";
import { augmentOnce } from "../support/augmentOnce.js";
import { runCli, type CliRun } from "../support/runCli.js";

// Issue 9 item 6: a password in a --store / --leases URL appears in no output line, on success
// and on error paths (real redis-server with requirepass, the CLI in child processes).
const PASSWORD = "Sup3r-s3cret-Pw";
const ODD_PASSWORD = "p@ss/w0rd:Zq"; // unescaped "@", "/" and ":": a URL parser stops early

describe("URL credentials are redacted in every log line and CLI error", () => {
  const fixture = useRedis();
  let redis: RedisServer;
  let sim: ModelSim;
  let dir: string;
  let url: string;
  beforeAll(async () => {
    redis = fixture.server;
    sim = await ModelSim.start({ capacity: 1_000_000 });
    const admin = new Redis(redis.port, "127.0.0.1");
    await admin.config("SET", "requirepass", PASSWORD);
    admin.disconnect();
    url = `redis://:${PASSWORD}@127.0.0.1:${redis.port}`;
    dir = await mkdtemp(join(tmpdir(), "redaction-"));
    await mkdir(join(dir, "raw"));
    await writeFile(join(dir, "raw", "1721183934.jsonl"), '{"company": "Acme", "title": "CEO"}\n');
  });
  afterAll(async () => {
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Everything the run printed, after it exited; fails if a secret is in it. */
  async function output(run: CliRun, ...secrets: string[]): Promise<string> {
    await run.exited;
    const text = run.stdout() + run.stderr();
    for (const secret of secrets) expect(text).not.toContain(secret);
    for (const piece of ["s3cret", "w0rd"]) expect(text).not.toContain(piece);
    return text;
  }

  it("augment: the starting line, with --store and --leases on a password-protected Redis", async () => {
    const run = runCli(augmentOnce(join(dir, "raw"), join(dir, "mod"), "--model", sim.address), {
      SENIORITY_LOG_LEVEL: "info",
      SENIORITY_STORE: url,
      SENIORITY_LEASES: url,
    });
    const text = await output(run, PASSWORD);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    const starting = text.split("\n").find((line) => line.includes('"augmenter starting"'));
    expect(JSON.parse(starting!)).toMatchObject({
      store: `redis://:***@127.0.0.1:${redis.port}`,
      leases: `redis://:***@127.0.0.1:${redis.port}`,
    });
  });

  it("augment: error paths (bad store URL, bad leases URL, odd and wrong passwords)", async () => {
    const base = augmentOnce(join(dir, "raw"), join(dir, "mod2"), "--model", sim.address);
    const env = { SENIORITY_LOG_LEVEL: "info" };
    const runs = {
      badStore: runCli([...base, "--store", `redis://:${PASSWORD}@127.0.0.1:notaport`], env),
      badLeases: runCli([...base, "--leases", `redis://:${PASSWORD}@`], env),
      // Misparsed as host "ss": Redis unreachable, the run goes on degraded.
      oddStore: runCli([...base, "--store", `redis://:${ODD_PASSWORD}@127.0.0.1:1`], env),
      wrongPassword: runCli([...base, "--store", `redis://:Wr0ng-${PASSWORD}@127.0.0.1:${redis.port}`], env),
    };
    const codes: Record<string, number | null> = {};
    for (const [name, run] of Object.entries(runs)) {
      const text = await output(run, PASSWORD, ODD_PASSWORD);
      codes[name] = (await run.exited).code;
      expect(text, name).toMatch(/redis:\/\/:\*\*\*@/); // the URL is still named, redacted
    }
    expect(codes).toMatchObject({ badStore: 2, badLeases: 2 });
  });

  it("cache: start logs, a failed start, an odd password", async () => {
    const env = { SENIORITY_LOG_LEVEL: "debug" };
    const serve = (store: string) =>
      runCli(["cache", "--port", "0", "--http-port", "0", "--model", sim.address, "--store", store], env);
    const texts: string[] = [];
    for (const serving of [serve(url), serve(`redis://user:${ODD_PASSWORD}@127.0.0.1:${redis.port}`)]) {
      await waitFor(() => serving.stdout().includes("\n"), "the cache's listening line");
      serving.child.kill("SIGTERM");
      texts.push(await output(serving, PASSWORD, ODD_PASSWORD));
      await serving.exited; // (its exit status is cli.test.ts's concern, not this test's)
    }
    // The odd password is misparsed (host "ss"): Redis unreachable, logged with the URL, redacted.
    expect(texts[1]).toMatch(/redis:\/\/user:\*\*\*@/);
    const failed = serve(`redis://user:${PASSWORD}@127.0.0.1:notaport`);
    const text = await output(failed, PASSWORD);
    expect((await failed.exited).code).toBe(1);
    expect(text).toContain(`bad store "redis://user:***@127.0.0.1:notaport"`);
  });
});
