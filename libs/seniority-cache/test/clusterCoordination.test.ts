import { pairKey } from "@seniority/pair-key";
import { REDIS_CLUSTER_AVAILABLE, useRedisCluster, waitFor } from "@seniority/testkit";
import type { Cluster } from "ioredis";
import { describe, expect, it } from "vitest";
import type { ReplicaCoordination } from "../src/replicas/ReplicaCoordination.js";
import type { RedisLayout } from "../src/stores/RedisLayout.js";
import type { RedisStore } from "../src/stores/RedisStore.js";
import { useRedisStores } from "./support/useRedisStores.js";

const fixture = useRedisCluster();
const stores = useRedisStores(() => fixture.cluster.url, "cc", 10_000);

const key = (i: number): Buffer => pairKey(`Company ${i}`, "Engineer", "standard");
const keys = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => key(i));

/** A replica: its own cluster connection (this test's prefix) and its coordination. */
async function replica(layout: "compact" | "keys" = "compact"): Promise<{
  store: RedisStore;
  coordination: ReplicaCoordination;
  client: Cluster;
  layout: RedisLayout;
}> {
  const store = await stores.open({ layout });
  const inside = store as unknown as { client: Cluster; layout: RedisLayout };
  return {
    store,
    coordination: store.openCoordination({ claimTtlMs: 10_000 }),
    client: inside.client,
    layout: inside.layout,
  };
}

describe.skipIf(!REDIS_CLUSTER_AVAILABLE)("replica coordination on a real Redis Cluster", () => {
  it.each(["compact", "keys"] as const)(
    "%s: claims over every partition — won, lost, answered, released, refreshed; each claim beside its answer",
    async (layout) => {
      const [a, b] = await Promise.all([replica(layout), replica(layout)]);
      const all = keys(2000);
      expect(new Set(all.map((k) => a.layout.partitionOf(k))).size).toBe(64);
      expect(new Set(await a.coordination.claim(all.slice(0, 1500)))).toEqual(new Set(["won"]));
      const second = await b.coordination.claim(all);
      expect(second.slice(0, 1500).every((outcome) => outcome === "lost")).toBe(true);
      expect(second.slice(1500).every((outcome) => outcome === "won")).toBe(true);
      // A claim lives in its answer's slot (the claim script reads both atomically).
      const claim = `${stores.prefix()}{${partitionTag(a, all[7]!)}}:claim:${all[7]!.toString("hex")}`;
      expect(await a.client.get(claim)).toBe(a.coordination.replicaId);

      await a.store.setMany(all.slice(0, 10).map((k) => ({ key: k, level: 6 })));
      expect(await b.coordination.claim(all.slice(0, 10))).toEqual(all.slice(0, 10).map(() => 6));
      expect(await a.coordination.refresh(all)).toBe(1500);
      expect(await b.coordination.release(all)).toBe(500);
      expect(await a.coordination.release(all)).toBe(1500);
      expect(new Set(await b.coordination.claim(all.slice(10)))).toEqual(new Set(["won"]));
    },
  );

  it("shares pacing and presence across replicas (namespace-wide keys in one slot)", async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    expect(await a.coordination.pace(1000, 1000, 1025)).toBe(0);
    const wait = await b.coordination.pace(1, 1000, 1025);
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1025);
    const beat = { synced: true, staleMs: 1000, expiryMs: 10_000, windowMs: 1000 };
    expect(await a.coordination.heartbeat({ ...beat, address: "10.0.0.1:50051" })).toEqual([]);
    const peers = await b.coordination.heartbeat({ ...beat, synced: false });
    expect(peers.map((p) => ({ id: p.id, synced: p.synced, address: p.address }))).toEqual([
      { id: a.coordination.replicaId, synced: true, address: "10.0.0.1:50051" },
    ]);
  });

  it("broadcasts invalidations to every replica", async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const heard: string[][] = [];
    b.coordination.onInvalidation((hex) => heard.push(hex));
    // The subscriber connects on first use: publish until it hears (messages before are lost).
    await waitFor(async () => {
      await a.coordination.publishInvalidation([key(1), key(2)]);
      return heard.length > 0;
    }, "an invalidation to arrive");
    expect(heard[0]).toEqual([key(1).toString("hex"), key(2).toString("hex")]);
  });
});

/** The hash tag (without braces) of the partition holding a pair's answer. */
function partitionTag(r: { layout: RedisLayout }, k: Buffer): string {
  const location = r.layout.answerLocation(k);
  return /\{([^}]+)\}/.exec(location.key.toString("latin1"))![1]!;
}
