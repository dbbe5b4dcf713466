import { describe, expect, it } from "vitest";
import { redactUrls as redact } from "@seniority/telemetry";
import { parseClusterSpec } from "@seniority/redis";
import { MemoryStore } from "../src/stores/MemoryStore.js";
import { openStore } from "../src/stores/openStore.js";
import { RedisKeys } from "../src/stores/RedisKeys.js";
import { RedisStore } from "../src/stores/RedisStore.js";

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

  it("opens a memory store", async () => {
    const store = await openStore("memory", { namespace: "v1:std" });
    expect(store).toBeInstanceOf(MemoryStore);
    await store.close();
  });

  it("builds a cluster store from seed nodes (construction only: no cluster to test against)", async () => {
    const store = await openStore("redis-cluster://127.0.0.1:1,127.0.0.1:2", {
      namespace: "v1:std",
      layout: "keys",
      connectTimeoutMs: 50,
    });
    expect(store).toBeInstanceOf(RedisStore);
    expect(store.kind).toBe("redis-keys");
    expect((store as RedisStore).connected).toBe(false);
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
