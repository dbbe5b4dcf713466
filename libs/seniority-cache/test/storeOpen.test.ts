import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pairKey } from "@seniority/pair-key";
import { redactUrls as redact } from "@seniority/telemetry";
import { parseClusterSpec } from "@seniority/redis";
import { useRedis } from "@seniority/testkit";
import { LmdbStore } from "../src/stores/LmdbStore.js";
import { MemoryStore } from "../src/stores/MemoryStore.js";
import { openStore } from "../src/stores/openStore.js";
import { RedisKeys } from "../src/stores/RedisKeys.js";
import { RedisStore } from "../src/stores/RedisStore.js";

const redis = useRedis();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "seniority-open-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const accepted = `expected "memory", "lmdb:<path>", "redis://…", "rediss://…" or "redis-cluster://host:port,…"`;

describe("openStore", () => {
  it("names the spec and the accepted forms when it does not know the spec", async () => {
    await expect(openStore("postgres://db", { namespace: "v1:std" })).rejects.toThrow(
      `unknown store "postgres://db": ${accepted}`,
    );
    await expect(openStore("http://:hunter2@x", { namespace: "v1:std" })).rejects.toThrow(
      `unknown store "http://:***@x": ${accepted}`,
    );
    await expect(openStore("redis://:pw@host:notaport", { namespace: "v1:std" })).rejects.toThrow(
      'bad store "redis://:***@host:notaport": Invalid URL',
    );
    await expect(openStore("lmdb:", { namespace: "v1:std" })).rejects.toThrow(
      'store "lmdb:" needs a path, e.g. lmdb:./.seniority/cache',
    );
  });

  it("opens a memory store, and an LMDB store, without coordination", async () => {
    const memory = await openStore("memory", { namespace: "v1:std" });
    expect(memory).toEqual({ store: expect.any(MemoryStore) });
    await memory.store.close();
    const lmdb = await openStore(`lmdb:${join(dir, "lmdb")}`, { namespace: "v1:std" });
    expect(lmdb).toEqual({ store: expect.any(LmdbStore) });
    await lmdb.store.close();
  });

  it("gives a Redis store the coordination of the replicas sharing it, closed with the store", async () => {
    const options = { namespace: "v1:std", keyPrefix: "open:", layout: "keys" as const };
    const [a, b] = [await openStore(redis.url, options), await openStore(redis.url, options)];
    expect(a.store).toBeInstanceOf(RedisStore);
    const [first, second] = [
      a.coordination!({ claimTtlMs: 10_000 }),
      b.coordination!({ claimTtlMs: 10_000 }),
    ];
    const key = pairKey("Acme", "CEO", "standard");
    expect(await first.claim([key])).toEqual(["won"]);
    expect(await second.claim([key])).toEqual(["lost"]);
    await a.store.setMany([{ key, level: 7 }]);
    expect(await second.claim([key])).toEqual([7]);
    await Promise.all([a.store.close(), b.store.close()]);
    await expect(first.claim([key])).rejects.toThrow("store is closed");
    expect(() => a.coordination!({ claimTtlMs: 10_000 })).toThrow("store is closed");
  });

  it("builds a cluster store from seed nodes (construction only: no cluster to test against)", async () => {
    const { store, coordination } = await openStore("redis-cluster://127.0.0.1:1,127.0.0.1:2", {
      namespace: "v1:std",
      layout: "keys",
      connectTimeoutMs: 50,
    });
    expect(store).toBeInstanceOf(RedisStore);
    expect(store.kind).toBe("redis-keys");
    expect((store as RedisStore).connected).toBe(false);
    expect(coordination).toBeInstanceOf(Function);
    await store.close();
    await store.close();
  });
});

describe("store spec helpers", () => {
  it("parses cluster specs with credentials and IPv6", () => {
    expect(parseClusterSpec("redis-cluster://u:p%40ss@10.0.0.1:7000,[::1]:7001")).toEqual({
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "::1", port: 7001 },
      ],
      username: "u",
      password: "p@ss",
    });
    expect(parseClusterSpec("redis-cluster://:secret@h:1")).toEqual({
      nodes: [{ host: "h", port: 1 }],
      password: "secret",
    });
    expect(() => parseClusterSpec("redis-cluster://:secret@h1:7000,h2")).toThrow(
      'bad node "h2" in redis-cluster://:***@h1:7000,h2 (expected redis-cluster://host:port,host:port)',
    );
  });

  it("redacts passwords", () => {
    expect(redact("rediss://user:pw@host:6380/2")).toBe("rediss://user:***@host:6380/2");
    expect(redact("redis://:pw@host")).toBe("redis://:***@host");
    expect(redact("redis://pw@host")).toBe("redis://***@host");
    expect(redact("redis://host:6379")).toBe("redis://host:6379");
  });

  it("refuses braces in the prefix or namespace (they would break the cluster hash tag)", () => {
    expect(() => new RedisKeys("a{b}", "v1:std")).toThrow('key prefix must not contain "{" or "}": "a{b}"');
    expect(() => new RedisKeys("s:", "v}1")).toThrow('namespace must not contain "{" or "}": "v}1"');
  });
});

describe("MemoryStore", () => {
  it("is bounded: past maxEntries the oldest-written entry goes", async () => {
    const store = new MemoryStore(2);
    const k = (b: number) => Buffer.alloc(16, b);
    await store.setMany([
      { key: k(1), level: 1 },
      { key: k(2), level: 2 },
      { key: k(3), level: 3 },
    ]);
    expect(store.size).toBe(2);
    expect(await store.getMany([k(1), k(2), k(3)])).toEqual([undefined, 2, 3]);
    expect(() => new MemoryStore(0)).toThrow("maxEntries must be a positive integer, got 0");
  });
});
