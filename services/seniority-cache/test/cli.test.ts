import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SeniorityModelDefinition } from "@seniority/proto";
import { createChannel, createClient } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { useRedis, useStarted } from "@seniority/testkit";
import { answerAll, FakeModel } from "../../../libs/seniority-cache/test/support/FakeModel.js";
import { cacheOnFreePorts } from "../../../test/support/cacheOnFreePorts.js";
import { runCli, type CliRun } from "../../../test/support/runCli.js";

/** The container entry of the proxy (the same command as `seniority cache`, fewer imports). */
const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

async function firstLine(proc: CliRun): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (!proc.stdout().includes("\n")) {
    if (Date.now() > deadline) throw new Error(`no start line; stderr: ${proc.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return proc.stdout().split("\n")[0]!;
}

describe("seniority cache / admin (CLI)", () => {
  const redis = useRedis();
  const model = useStarted("the fake model", () => FakeModel.start());

  it("a bad value → one line naming the flag, exit code 2 (the container entry behaves the same)", async () => {
    const viaCli = runCli(["cache", "--max-batch", "0"]);
    const viaMain = runCli([], { SENIORITY_CACHE_PORT: "abc" }, MAIN);
    expect([(await viaCli.exited).code, viaCli.stderr()]).toEqual([
      2,
      "error: option '--max-batch <n>' argument '0' is invalid. expected an integer in 1..1000000, got 0.\n",
    ]);
    expect([(await viaMain.exited).code, viaMain.stderr()]).toEqual([
      2,
      `error: option '--port <port>' value 'abc' from env 'SENIORITY_CACHE_PORT' is invalid. expected an integer, got "abc".\n`,
    ]);
  });

  it("serves, exposes metrics and readiness, answers admin calls, and drains on SIGTERM", async () => {
    let proc: CliRun | undefined;
    const dir = mkdtempSync(join(tmpdir(), "seniority-cli-admin-"));
    const tokenFile = join(dir, "admin-token");
    writeFileSync(tokenFile, "cli-admin-token-a1b2c3\n");
    try {
      proc = runCli(
        cacheOnFreePorts("--admin-token-file", tokenFile, "--model", model().address, "--store", redis.url),
        { SENIORITY_CACHE_REDIS_KEY_PREFIX: "cli:", SENIORITY_CACHE_MAX_DELAY_MS: "1" },
      );
      const line = await firstLine(proc);
      const match =
        /^seniority-cache listening: grpc 127\.0\.0\.1:(\d+), http :(\d+), admin 127\.0\.0\.1:(\d+) \(model 127\.0\.0\.1:\d+, store redis-compact, namespace v1:std:m:k2\)$/.exec(
          line,
        );
      expect(match, line).not.toBeNull();
      const [, grpcPort, httpPort, adminPort] = match!;
      const channel = createChannel(`127.0.0.1:${grpcPort}`);
      const client = createClient(SeniorityModelDefinition, channel);
      expect(await client.inferSeniority({ batch: [{ uuid: 5, company: "Acme", title: "CEO" }] })).toEqual({
        batch: [{ uuid: 5, seniority: 3 }],
      });

      const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
      for (const name of [
        'seniority_cache_requests_total{code="OK",service="seniority-cache"} 1',
        'seniority_cache_items_total{service="seniority-cache"} 1',
        'seniority_cache_lookups_total{tier="model",service="seniority-cache"} 1',
        'seniority_cache_model_batches_total{service="seniority-cache"} 1',
        'seniority_cache_queue_depth{lane="bulk",service="seniority-cache"} 0',
        'seniority_cache_store_degraded{service="seniority-cache"} 0',
        'seniority_cache_l1_entries{service="seniority-cache"} 1',
        "seniority_cache_model_batch_size_bucket",
        "seniority_cache_model_latency_seconds_bucket",
        "seniority_cache_request_duration_seconds_bucket",
        "seniority_cache_coalesced_total",
        "seniority_cache_store_errors_total",
      ]) {
        expect(metrics).toContain(name);
      }
      const ready = await fetch(`http://127.0.0.1:${httpPort}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([
        200,
        { ready: true, store: "ok", storeKind: "redis-compact" },
      ]);

      const admin = runCli([
        "admin",
        "--proxy",
        `127.0.0.1:${adminPort}`,
        "--token-file",
        tokenFile,
        "lookup",
        "Acme",
        "CEO",
        "Acme",
        "Nobody",
      ]);
      expect((await admin.exited).code).toBe(0);
      expect(JSON.parse(admin.stdout())).toEqual([
        { pair: { company: "Acme", title: "CEO" }, seniority: 3, tier: "l1" },
        { pair: { company: "Acme", title: "Nobody" }, seniority: 0, tier: "" },
      ]);
      const stats = runCli(["admin", "--proxy", `127.0.0.1:${adminPort}`, "stats"], {
        SENIORITY_ADMIN_TOKEN_FILE: tokenFile,
      });
      expect((await stats.exited).code).toBe(0);
      expect(JSON.parse(stats.stdout())).toMatchObject({
        requests: 1,
        items: 1,
        modelItems: 1,
        namespace: "v1:std:m:k2",
      });

      // A call in progress when SIGTERM arrives still gets its answer; then the process exits 0.
      model().reply = async (request, call) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        return answerAll(request, call);
      };
      const inFlight = client.inferSeniority({ batch: [{ uuid: 6, company: "Acme", title: "Slow" }] });
      await new Promise((resolve) => setTimeout(resolve, 100));
      proc.child.kill("SIGTERM");
      expect(await inFlight).toEqual({ batch: [{ uuid: 6, seniority: 3 }] });
      expect((await proc.exited).code).toBe(0);
      channel.close();
    } finally {
      model().reply = answerAll;
      if (proc && proc.child.exitCode === null) proc.child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
