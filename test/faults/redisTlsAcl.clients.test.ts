import { readFileSync } from "node:fs";
import { cacheNamespace } from "@seniority/pair-key";
import { openStore } from "@seniority/seniority-cache";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { RedisFileLeases } from "@seniority/augmenter";
import {
  AUGMENTER_PASSWORD,
  CACHE_PASSWORD,
  NAMESPACE,
  PREFIX,
  useAclRedis,
} from "../support/useAclRedis.js";

// Issue 13.4: the cache (store, both layouts, and coordination between two replicas) and the
// augmenter's leases work over TLS (client certificates required) as the least-privilege users of
// the checked-in deploy/redis/users.acl, with passwords from files; what lies outside the ACL is
// refused. A real redis-server (--port 0 --tls-port, --aclfile), certificates made by openssl, real
// `seniority cache` and `seniority augment` processes (see useAclRedis).
// This file: in-process clients as the ACL users (the keys-layout store, the leases) and raw
// connections the ACL, the password or TLS refuses.

describe("Redis over TLS with the least-privilege ACL (issue 13.4)", () => {
  const acl = useAclRedis();
  const { files, as, security, connect } = acl;
  const refusal = (call: Promise<unknown>): Promise<string> =>
    call.then(
      () => "OK",
      (error: Error) => error.message,
    );

  it("the keys layout works as seniority-cache too", async () => {
    const { store } = await openStore(as("seniority-cache"), {
      namespace: cacheNamespace("v2", "standard", "model"),
      layout: "keys",
      ttlSeconds: 60,
      security: security(files.cachePassword),
    });
    try {
      const key = Buffer.alloc(16, 7);
      await store.setMany([{ key, level: 5 }]);
      expect(await store.getMany([key, Buffer.alloc(16, 8)])).toEqual([5, undefined]);
      expect(await store.deleteMany([key])).toBe(1);
    } finally {
      await store.close();
    }
  });

  it("leases work as seniority-augmenter: one owner at a time, renewed, released", async () => {
    const open = (owner: string) =>
      RedisFileLeases.open(as("seniority-augmenter"), {
        scope: "tls-test",
        owner,
        ttlMs: 3000,
        security: security(files.augmenterPassword),
      });
    const [first, second] = [open("one"), open("two")];
    try {
      const lease = await first.acquire("1721183934.jsonl");
      expect(lease).toBeDefined();
      expect(await second.acquire("1721183934.jsonl")).toBeUndefined();
      await lease!.release();
      expect(await second.acquire("1721183934.jsonl")).toBeDefined();
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it("refuses what the ACL does not grant: FLUSHALL, CONFIG SET, KEYS, other prefixes, the other user's keys", async () => {
    const cacheUser = connect("seniority-cache", CACHE_PASSWORD);
    const augmenterUser = connect("seniority-augmenter", AUGMENTER_PASSWORD);
    try {
      const noCommand = (name: string) => `NOPERM this user has no permissions to run the '${name}' command`;
      const noKey = "NOPERM this user has no permissions to access one of the keys used as arguments";
      expect(await refusal(cacheUser.flushall())).toBe(noCommand("flushall"));
      expect(await refusal(cacheUser.config("SET", "appendonly", "no"))).toBe(noCommand("config|set"));
      expect(await refusal(cacheUser.keys("*"))).toBe(noCommand("keys"));
      expect(await refusal(cacheUser.get("other:secret"))).toBe(noKey);
      expect(await refusal(cacheUser.get("seniority:augmenter:lease:x"))).toBe(noKey);
      expect(await refusal(cacheUser.publish("other-channel", "x"))).toMatch(/^NOPERM .*channel/);
      // A script cannot reach past the ACL either.
      expect(await refusal(cacheUser.eval("return redis.call('GET', KEYS[1])", 1, "other:secret"))).toMatch(
        /NOPERM|No permissions/i,
      );
      expect(await refusal(augmenterUser.get(`${PREFIX}{${NAMESPACE}}:meta`))).toBe(noKey);
      expect(await refusal(augmenterUser.hget(`${PREFIX}{${NAMESPACE}}:meta`, "buckets"))).toBe(
        noCommand("hget"),
      );
      expect(await refusal(augmenterUser.flushdb())).toBe(noCommand("flushdb"));
    } finally {
      cacheUser.disconnect();
      augmenterUser.disconnect();
    }
  });

  it("refuses a wrong password, a plaintext client and a client without a certificate", async () => {
    const wrong = connect("seniority-cache", AUGMENTER_PASSWORD);
    wrong.on("error", () => {});
    expect(await refusal(wrong.ping())).toMatch(/WRONGPASS|invalid username-password/);
    wrong.disconnect();
    for (const options of [{}, { tls: { ca: readFileSync(acl.certs.ca) } }]) {
      const client = new Redis(acl.redis.port, "127.0.0.1", {
        ...options,
        username: "seniority-cache",
        password: CACHE_PASSWORD,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        connectTimeout: 2000,
      });
      client.on("error", () => {});
      expect(await refusal(client.ping())).not.toBe("OK");
      client.disconnect();
    }
  });
});
