import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { cacheNamespace, pairKey } from "@seniority/pair-key";
import { openSeniorityCache, openStore } from "@seniority/seniority-cache";
import { Redis } from "ioredis";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { useRedis, waitFor } from "@seniority/testkit";

const SENIORITY = fileURLToPath(new URL("../../cli/bin/seniority.js", import.meta.url));
const OLD = cacheNamespace("v0", "standard", "model");
const LIVE = cacheNamespace("v1", "standard", "model");

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const child = spawn(process.execPath, [SENIORITY, "retire", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const [code] = (await once(child, "exit")) as [number];
  return { code, out, err };
}

async function fill(namespace: string, count: number): Promise<void> {
  const { store } = await openStore(redisUrl(), { namespace, layout: "keys" });
  await store.setMany(
    Array.from({ length: count }, (_, i) => ({ key: pairKey(`Co ${i}`, "CTO", "standard"), level: 6 })),
  );
  await store.close();
}

const redis = useRedis();
const redisUrl = (): string => redis.url;
let admin: Redis;
beforeAll(() => {
  admin = redis.client();
});
beforeEach(async () => {
  await admin.flushall();
});

describe("seniority retire", () => {
  it("drops the namespace's keys in batches and prints the summary; other namespaces stay", async () => {
    await fill(OLD, 1500);
    await fill(LIVE, 40);
    const dry = await run([OLD, "--store", redis.url, "--dry-run"]);
    expect(dry.code).toBe(0);
    // Each namespace: its pairs + the meta hash (the recorded partition count).
    expect(JSON.parse(dry.out)).toMatchObject({ namespace: OLD, dryRun: true, matched: 1501, unlinked: 0 });
    expect(await admin.dbsize()).toBe(1501 + 41);

    const done = await run([OLD, "--store", redis.url, "--batch", "100", "--pause", "1ms"]);
    expect(done.code).toBe(0);
    const summary = JSON.parse(done.out) as { batches: number };
    expect(summary).toEqual({
      namespace: OLD,
      dryRun: false,
      cursor: "0",
      batches: summary.batches,
      matched: 1501,
      unlinked: 1501,
      done: true,
    });
    expect(summary.batches).toBeGreaterThanOrEqual(15);
    expect(done.err.trim().split("\n").at(-1)).toBe(
      `retire ${OLD}: 1501 keys unlinked, ${summary.batches} batches, cursor 0`,
    );
    expect(await admin.dbsize()).toBe(41);
  });

  it("refuses a namespace a running cache replica heartbeats in, unless --force", async () => {
    const cache = await openSeniorityCache({
      store: redis.url,
      redisLayout: "keys",
      l1Entries: 100,
      model: { resolve: async (pairs) => pairs.map(() => 4), close: async () => {} },
    });
    try {
      await cache.infer([{ company: "Acme", title: "CEO" }]);
      await waitFor(
        async () => (await admin.scan("0", "MATCH", "*:replicas", "COUNT", 1000))[1].length === 1,
        "a heartbeat",
      );
      const refused = await run([LIVE, "--store", redis.url]);
      expect(refused).toMatchObject({ code: 1, out: "" });
      expect(refused.err).toBe(
        `retire ${LIVE} stopped after 0 keys: namespace "${LIVE}" is live: 1 replica(s) heartbeat in it ` +
          "within 10000 ms; stop them first, or retire it anyway with --force\n",
      );
      const forced = await run([LIVE, "--store", redis.url, "--force"]);
      expect(forced.code).toBe(0);
      expect(JSON.parse(forced.out)).toMatchObject({ done: true });
    } finally {
      await cache.close();
    }
  });

  it("bad flags: one line naming the flag, exit 2", async () => {
    const memory = await run([OLD, "--store", "memory"]);
    expect(memory.code).toBe(2);
    expect(memory.err).toContain(
      `option '--store <url>' argument 'memory' is invalid. expected redis://host:port, rediss://… or redis-cluster://host:port,…; got "memory".`,
    );
    const missing = await run([OLD]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("required option '--store <url>' not specified");
    const cursor = await run([OLD, "--store", redis.url, "--cursor", "abc"]);
    expect(cursor.code).toBe(2);
    expect(cursor.err).toContain(
      `option '--cursor <cursor>' argument 'abc' is invalid. expected a SCAN cursor (digits), got "abc".`,
    );
  });

  it("an unreachable Redis: exit 1, saying so", async () => {
    const down = await run([OLD, "--store", "redis://127.0.0.1:1"]);
    expect(down).toEqual({
      code: 1,
      out: "",
      err: `retire ${OLD} stopped after 0 keys: cannot reach Redis at redis://127.0.0.1:1\n`,
    });
  });
});
