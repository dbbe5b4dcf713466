import { pairKey } from "@seniority/pair-key";
import { REDIS_CLUSTER_AVAILABLE, useRedisCluster } from "@seniority/testkit";
import { describe, expect, it } from "vitest";
import type { RedisStore } from "../src/stores/RedisStore.js";
import { useRedisStores } from "./support/useRedisStores.js";

// entries() (export) over a namespace spread on a real 3-master cluster: every answer of every
// partition, with its level, and nothing of another namespace.
const fixture = useRedisCluster();
const stores = useRedisStores(() => fixture.cluster.url, "entries", 10_000);

const key = (i: number): Buffer => pairKey(`Company ${i}`, `Title ${i}`, "standard");

/** `keyPrefix` default this test's ("entries<testId>:"). */
function open(
  layout: "compact" | "keys",
  namespace: string,
  keyPrefix = stores.prefix(),
): Promise<RedisStore> {
  return stores.open({ namespace, keyPrefix, layout, ...(layout === "compact" ? { buckets: 256 } : {}) });
}

describe.skipIf(!REDIS_CLUSTER_AVAILABLE)("entries() on a real Redis Cluster", () => {
  for (const layout of ["compact", "keys"] as const) {
    it(`${layout}: every answer of every partition, and no other namespace's`, async () => {
      const store = await open(layout, "v1:std");
      const other = await open(layout, "v1:cf");
      const written = Array.from({ length: 3000 }, (_, i) => ({ key: key(i), level: (i % 7) + 1 }));
      await store.setMany(written);
      await other.setMany([{ key: key(99_999), level: 3 }]);
      const seen = new Map<string, number>();
      for await (const batch of store.entries({ batchSize: 500 })) {
        for (const e of batch) seen.set(e.key.toString("hex"), e.level);
      }
      expect(seen.size).toBe(3000);
      if (layout === "keys") {
        for (const e of written) expect(seen.get(e.key.toString("hex"))).toBe(e.level);
      } else {
        // stand-in keys: written back into a compact layout of the same count, they answer the pairs
        const copy = await open("compact", "v1:std", `copy${stores.testId}:`);
        expect(await copy.getMany([written[0]!.key])).toEqual([undefined]);
        await copy.setMany([...seen].map(([hex, level]) => ({ key: Buffer.from(hex, "hex"), level })));
        expect(await copy.getMany(written.map((e) => e.key))).toEqual(written.map((e) => e.level));
      }
    });
  }
});
