import { useRedis } from "@seniority/testkit";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { RedisCoordination } from "../src/replicas/RedisCoordination.js";
import { CompactLayout } from "../src/stores/CompactLayout.js";
import { RedisKeys } from "../src/stores/RedisKeys.js";
import { useRedisStores } from "./support/useRedisStores.js";

// Pacing's own connection: a batch waits for its pace reply, which must not queue behind the
// store connection's lookups, claims and writes (replies on one connection come back in order).
const redis = useRedis();
const stores = useRedisStores(() => redis.url, "pc");
const closing: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

function coordinationOn(store: Redis, pacing?: Redis): RedisCoordination {
  const keys = new RedisKeys(`pc${stores.testId}:`, "v1:std:m:k2");
  const coordination = new RedisCoordination(
    store,
    keys,
    new CompactLayout(keys, 16),
    { claimTtlMs: 10_000 },
    undefined,
    pacing,
  );
  closing.push(() => coordination.close());
  return coordination;
}

describe("RedisCoordination's pacing connection", () => {
  it("answers a pace call while the store's connection is held by an earlier command", async () => {
    const [store, pacing] = [redis.client(), redis.client()];
    await Promise.all([store.ping(), pacing.ping()]);
    const coordination = coordinationOn(store, pacing);
    const order: string[] = [];
    // BLPOP holds the store's connection for 500 ms: anything sent on it after waits as long.
    const held = store.blpop(`pc${stores.testId}:nothing`, 0.5).then(() => order.push("store"));
    const paced = coordination.pace(10, 1000, 1010).then((wait) => order.push(`pace ${wait}`));
    await Promise.all([held, paced]);
    expect(order).toEqual(["pace 0", "store"]);
  });

  it("paces on the store's connection while its own is not ready, and closes its own", async () => {
    const store = redis.client();
    const pacing = new Redis(redis.url, { lazyConnect: true, enableOfflineQueue: false });
    const coordination = coordinationOn(store, pacing);
    expect(pacing.status).toBe("wait"); // never connected
    expect(await coordination.pace(10, 1000, 1010)).toBe(0);
    await coordination.close();
    expect(pacing.status).toBe("end");
  });

  it("is opened by RedisStore.openCoordination under its own name, and closed with the store", async () => {
    const admin = redis.client();
    const store = await stores.open({ layout: "compact" });
    const coordination = store.openCoordination({ claimTtlMs: 10_000 });
    const named = async () =>
      String(await admin.client("LIST"))
        .split("\n")
        .filter((line) => line.includes("name=seniority-cache-pacing")).length;
    await expect.poll(named).toBe(1);
    expect(await coordination.pace(10, 1000, 1010)).toBe(0);
    await store.close();
    await expect.poll(named).toBe(0);
  });
});
