import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { cacheNamespace, pairKey } from "@seniority/pair-key";
import { createRedisClient, type RedisClient } from "@seniority/redis";
import { RedisServer, waitFor } from "@seniority/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/stores/openStore.js";
import { retireNamespace } from "../src/stores/retireNamespace.js";

const OLD = cacheNamespace("v1", "standard", "model");
const NEW = cacheNamespace("v2", "standard", "model");

// Three masters, no replicas: redis-cli --cluster create assigns the slots.
const masters: RedisServer[] = [];
let spec = "";
beforeAll(async () => {
  for (let i = 0; i < 3; i++) masters.push(await RedisServer.start({ args: ["--cluster-enabled", "yes"] }));
  const addresses = masters.map((m) => `127.0.0.1:${m.port}`);
  await promisify(execFile)("redis-cli", [
    "--cluster",
    "create",
    ...addresses,
    "--cluster-replicas",
    "0",
    "--cluster-yes",
  ]);
  for (const master of masters) {
    const probe = new Redis(master.port, "127.0.0.1");
    await waitFor(async () => /cluster_state:ok/.test(await probe.cluster("INFO")), "cluster_state:ok");
    probe.disconnect();
  }
  spec = `redis-cluster://${addresses.join(",")}`;
}, 60_000);
afterAll(async () => {
  await Promise.all(masters.map((m) => m.close()));
});

async function fill(namespace: string, count: number, layout: "keys" | "compact"): Promise<void> {
  const { store } = await openStore(spec, { namespace, layout, buckets: 32 });
  await store.setMany(
    Array.from({ length: count }, (_, i) => ({ key: pairKey(`Co ${i}`, "CFO", "standard"), level: 5 })),
  );
  await store.close();
}

describe("retireNamespace on a Redis Cluster", () => {
  it("drops the namespace's keys on every master (its partitions are spread over them) and nothing else", async () => {
    await fill(OLD, 2000, "keys");
    await fill(OLD, 500, "compact"); // 32 buckets + the meta hash
    await fill(NEW, 300, "keys");
    const client: RedisClient = createRedisClient(spec, { offlineQueue: true });
    try {
      const base = { keyPrefix: "seniority:", batchSize: 250, pauseMs: 0 };
      expect(await retireNamespace(client, { ...base, namespace: OLD, dryRun: true })).toMatchObject({
        matched: 2033,
        unlinked: 0,
      });
      const retired = await retireNamespace(client, { ...base, namespace: OLD });
      expect(retired).toMatchObject({ matched: 2033, unlinked: 2033, done: true });
      expect(await retireNamespace(client, { ...base, namespace: OLD, dryRun: true })).toMatchObject({
        matched: 0,
      });
      expect(await retireNamespace(client, { ...base, namespace: NEW, dryRun: true })).toMatchObject({
        matched: 300 + 1, // + its meta hash
      });
    } finally {
      client.disconnect();
    }
  });
});
