import { pairKey } from "@seniority/pair-key";
import { REDIS_CLUSTER_AVAILABLE, useRedisCluster } from "@seniority/testkit";
import { describe, expect, it } from "vitest";
import type { RedisStore } from "../src/stores/RedisStore.js";
import { useRedisStores } from "./support/useRedisStores.js";

// StoreScan (the Bloom filter's rebuild) over a namespace spread on a real 3-master cluster: every
// partition on every master is scanned, and nothing of another namespace is yielded.
const fixture = useRedisCluster();
const stores = useRedisStores(() => fixture.cluster.url, "scan", 10_000);

const key = (i: number): Buffer => pairKey(`Company ${i}`, `Title ${i}`, "standard");

function open(layout: "compact" | "keys", namespace: string): Promise<RedisStore> {
  return stores.open({ namespace, layout, ...(layout === "compact" ? { buckets: 256 } : {}) });
}

describe.skipIf(!REDIS_CLUSTER_AVAILABLE)("StoreScan on a real Redis Cluster (64 partitions)", () => {
  for (const layout of ["compact", "keys"] as const) {
    it(`${layout}: yields every pair of the namespace, from every partition, and no other namespace's`, async () => {
      const store = await open(layout, "v1:std");
      const other = await open(layout, "v1:cf");
      const keys = Array.from({ length: 3000 }, (_, i) => key(i));
      await store.setMany(keys.map((k, i) => ({ key: k, level: (i % 7) + 1 })));
      await other.setMany([{ key: key(99_999), level: 3 }]);
      const seen = new Set<string>();
      for await (const batch of store.scanKeys(500)) {
        expect(batch.length).toBeGreaterThanOrEqual(1);
        expect(batch.length).toBeLessThanOrEqual(500);
        for (const k of batch) seen.add(k.toString("hex"));
      }
      // The compact layout yields its 8-byte field (pair-key bytes 4..12); the keys layout the whole key.
      const expected = keys.map((k) => (layout === "compact" ? k.subarray(4, 12) : k).toString("hex"));
      expect(seen).toEqual(new Set(expected));
    });
  }
});
