import { pairKey } from "@seniority/pair-key";
import { REDIS_CLUSTER_AVAILABLE, useRedisCluster } from "@seniority/testkit";
import calculateSlot from "cluster-key-slot";
import type { Cluster, Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_CLUSTER_PARTITIONS } from "../src/stores/checkRedisLayout.js";
import { partitionTags } from "../src/stores/partitionTags.js";
import type { RedisLayout } from "../src/stores/RedisLayout.js";
import type { RedisStoreOptions } from "../src/stores/RedisStore.js";
import { useRedisStores } from "./support/useRedisStores.js";

const fixture = useRedisCluster();
const stores = useRedisStores(() => fixture.cluster.url, "cs", 10_000);
const admins: Redis[] = [];

afterEach(() => {
  for (const admin of admins.splice(0)) admin.disconnect();
});

const key = (i: number): Buffer => pairKey(`Company ${i}`, `Title ${i}`, "standard");
const keys = (n: number, from = 0): Buffer[] => Array.from({ length: n }, (_, i) => key(from + i));
const { prefix, open } = stores;

/** One client per serving master, by port. */
async function masters(): Promise<Map<number, Redis>> {
  const clients = new Map<number, Redis>();
  for (const port of await fixture.cluster.masterPorts()) {
    const client = fixture.cluster.nodeClient(port);
    admins.push(client);
    clients.set(port, client);
  }
  return clients;
}

/** Keys under this test's prefix on one node, and the bytes Redis reports for them (MEMORY USAGE). */
async function holdings(node: Redis): Promise<{ keys: number; bytes: number }> {
  let [cursor, count, bytes] = ["0", 0, 0];
  do {
    // Buffers: keys-layout names hold the raw pair key bytes.
    const [next, names] = await node.scanBuffer(cursor, "MATCH", `${prefix()}*`, "COUNT", 1000);
    cursor = next.toString();
    for (const name of names) {
      if (name.toString("latin1").endsWith(":meta")) continue; // the namespace's one layout record
      count++;
      bytes += Number(await node.memory("USAGE", name, "SAMPLES", "0"));
    }
  } while (cursor !== "0");
  return { keys: count, bytes };
}

/** Largest distance from the mean, as a fraction of the mean. */
const spread = (values: number[]): number => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.max(...values.map((v) => Math.abs(v - mean))) / mean;
};

describe.skipIf(!REDIS_CLUSTER_AVAILABLE)("RedisStore on a real Redis Cluster", () => {
  it("runs against 3 masters, each with one replica, serving all 16,384 slots", async () => {
    const nodes = await fixture.cluster.nodes();
    const serving = nodes.filter((n) => n.role === "master");
    expect(serving.map((n) => n.slots).reduce((a, b) => a + b, 0)).toBe(16_384);
    expect(serving).toHaveLength(3);
    for (const master of serving) {
      expect(nodes.filter((n) => n.role === "replica" && n.masterId === master.id)).toHaveLength(1);
    }
  });

  it("partition tags of evenly spaced slots: ⌊P/3⌋ or ⌈P/3⌉ partitions a master", async () => {
    const store = await open();
    const tags = partitionTags("v1:std", DEFAULT_CLUSTER_PARTITIONS);
    expect(new Set(tags).size).toBe(DEFAULT_CLUSTER_PARTITIONS);
    const client = (store as unknown as { client: Cluster }).client;
    const perMaster = new Map<string, number>();
    for (const tag of tags) {
      const node = client.slots[calculateSlot(tag)]![0]!;
      perMaster.set(node, (perMaster.get(node) ?? 0) + 1);
    }
    expect([...perMaster.values()].sort()).toEqual([21, 21, 22]);
  });

  it.each<[string, Partial<RedisStoreOptions>]>([
    ["compact", { buckets: 4096 }],
    ["keys", { layout: "keys" }],
  ])(
    "%s: a new namespace records 64 partitions; 30,000 pairs read back exactly, keys and memory per master within 20%",
    async (_name, options) => {
      const store = await open(options);
      const all = keys(30_000);
      const levels = all.map((_, i) => (i % 7) + 1);
      for (let i = 0; i < all.length; i += 1000) {
        await store.setMany(all.slice(i, i + 1000).map((k, j) => ({ key: k, level: levels[i + j]! })));
      }
      expect(await store.getMany([...all, key(999_999)])).toEqual([...levels, undefined]);
      const nodes = await masters();
      const client = (store as unknown as { client: Cluster }).client;
      expect(await client.hgetall(`${prefix()}{v1:std}:meta`)).toEqual(
        options.layout === "keys" ? { partitions: "64" } : { buckets: "4096", partitions: "64" },
      );
      const held = await Promise.all([...nodes.values()].map(holdings));
      // compact: every bucket that got a pair (30,000 over 4,096 leaves a few empty)
      const expectedKeys =
        options.layout === "keys" ? 30_000 : new Set(all.map((k) => k.readUInt32BE(0) % 4096)).size;
      expect(held.reduce((sum, h) => sum + h.keys, 0)).toBe(expectedKeys);
      console.log(
        `${_name}: keys per master ${held.map((h) => h.keys).join(" / ")}, bytes per master ` +
          `${held.map((h) => h.bytes).join(" / ")} (spread ${(100 * spread(held.map((h) => h.keys))).toFixed(1)}% / ` +
          `${(100 * spread(held.map((h) => h.bytes))).toFixed(1)}%)`,
      );
      expect(spread(held.map((h) => h.keys))).toBeLessThanOrEqual(0.2);
      expect(spread(held.map((h) => h.bytes))).toBeLessThanOrEqual(0.2);
      expect(await store.deleteMany(all.slice(0, 5000))).toBe(5000);
      expect(await store.getMany(all.slice(4999, 5001))).toEqual([undefined, levels[5000]]);
    },
  );

  it.each<[string, Partial<RedisStoreOptions>]>([
    ["compact", { buckets: 4096 }],
    ["keys", { layout: "keys" }],
    ["keys with ttl", { layout: "keys", ttlSeconds: 60 }],
  ])(
    "%s: a 1,000-pair request is one write per master, one call per partition touched",
    async (_n, options) => {
      const store = await open(options);
      const batch = keys(1000, 50_000);
      await store.setMany(batch.map((k) => ({ key: k, level: 4 })));
      await store.getMany(batch); // scripts loaded on every master
      const client = (store as unknown as { client: Cluster }).client;
      const writes = new Map<string, number>();
      for (const node of client.nodes("master")) {
        const name = `${node.options.port}`;
        writes.set(name, 0);
        const write = node.stream.write.bind(node.stream) as (...args: unknown[]) => boolean;
        node.stream.write = ((...args: unknown[]) => (
          writes.set(name, writes.get(name)! + 1),
          write(...args)
        )) as typeof node.stream.write;
      }
      const nodes = await masters();
      await Promise.all([...nodes.values()].map((n) => n.config("RESETSTAT")));
      expect(await store.getMany(batch)).toEqual(batch.map(() => 4));
      expect([...writes.values()]).toEqual([1, 1, 1]);
      const stats = await Promise.all([...nodes.values()].map((n) => n.info("commandstats")));
      const calls = (name: string): number =>
        stats.reduce(
          (sum, s) => sum + Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(s)?.[1] ?? 0),
          0,
        );
      const layout = (store as unknown as { layout: RedisLayout }).layout;
      const touched = new Set(batch.map((k) => layout.partitionOf(k))).size;
      expect(touched).toBe(64); // 1,000 pairs over 64 partitions touch them all
      if (options.layout === undefined) expect(calls("evalsha")).toBe(touched);
      else if (options.ttlSeconds === undefined) expect(calls("mget")).toBe(touched);
      else expect(calls("getex")).toBe(1000);
    },
  );

  it("refuses a partition count other than the recorded one, naming it", async () => {
    await open({ buckets: 1024 });
    await expect(open({ buckets: 1024, partitions: 128 })).rejects.toThrow(
      '--redis-partitions 128 does not match namespace "v1:std" in this Redis, which keeps its pairs in 64 partitions',
    );
  });
});
