import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CacheAdminServiceDefinition, SeniorityModelDefinition } from "@seniority/proto";
import { cacheNamespace } from "@seniority/pair-key";
import { openStore } from "@seniority/seniority-cache";
import { readRedisSecurity, type RedisSecurity } from "@seniority/redis";
import { Redis } from "ioredis";
import { createChannel, createClient, Metadata } from "nice-grpc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisFileLeases } from "@seniority/augmenter";
import { jsonlFixture } from "../../services/augmenter/test/jsonlFixture.js";
import { FakeModel } from "../../libs/seniority-cache/test/support/FakeModel.js";
import { type GeneratedCertificates, type RedisServer, waitFor } from "@seniority/testkit";
import { startAclRedis } from "../support/startAclRedis.js";
import { runCli, type CliRun } from "../support/runCli.js";

// Issue 13.4: the cache (store, both layouts, and coordination between two replicas) and the
// augmenter's leases work over TLS (client certificates required) as the least-privilege users of
// the checked-in deploy/redis/users.acl, with passwords from files; what lies outside the ACL is
// refused. A real redis-server (--port 0 --tls-port, --aclfile), certificates made by openssl, real
// `seniority cache` and `seniority augment` processes. Before the issue there were no TLS or
// password-file flags at all (and no ACL to test).

const CACHE_PASSWORD = "cache-pw-3d9f1a7c";
const AUGMENTER_PASSWORD = "augm-pw-8e2b6c40";
const ADMIN_PASSWORD = "test-admin-pw-51c2";
const ADMIN_TOKEN = "redis-test-admin-token-77";
const SECRETS = [CACHE_PASSWORD, AUGMENTER_PASSWORD, ADMIN_PASSWORD, ADMIN_TOKEN];
const PREFIX = "seniority:";
const NAMESPACE = cacheNamespace("v1", "standard", "model");

describe("Redis over TLS with the least-privilege ACL (issue 13.4)", () => {
  const dir = mkdtempSync(join(tmpdir(), "seniority-redis-tls-"));
  let certs: GeneratedCertificates;
  let redis: RedisServer;
  let admin: Redis;
  let model: FakeModel;
  const children: CliRun[] = [];
  const files = { cachePassword: join(dir, "cache-password"), augmenterPassword: join(dir, "augm-password") };

  const tlsFlags = () => [
    "--redis-tls-ca",
    certs.ca,
    "--redis-tls-cert",
    certs.clientCert,
    "--redis-tls-key",
    certs.clientKey,
  ];
  const as = (user: string): string => `rediss://${user}@127.0.0.1:${redis.port}`;
  const security = (passwordFile: string): RedisSecurity =>
    readRedisSecurity({ tlsCa: certs.ca, tlsCert: certs.clientCert, tlsKey: certs.clientKey, passwordFile }, [
      as("x"),
    ]);
  /** A raw client as `user` (TLS with the client certificate). */
  const connect = (user: string, password: string): Redis =>
    new Redis(redis.port, "127.0.0.1", {
      tls: redis.clientTls(),
      username: user,
      password,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
  const refusal = (call: Promise<unknown>): Promise<string> =>
    call.then(
      () => "OK",
      (error: Error) => error.message,
    );

  beforeAll(async () => {
    ({ redis, certs } = await startAclRedis(
      dir,
      { "seniority-cache": CACHE_PASSWORD, "seniority-augmenter": AUGMENTER_PASSWORD },
      { user: "test-admin", password: ADMIN_PASSWORD },
    ));
    writeFileSync(files.cachePassword, `${CACHE_PASSWORD}\n`);
    writeFileSync(files.augmenterPassword, `${AUGMENTER_PASSWORD}\n`);
    writeFileSync(join(dir, "admin-token"), `${ADMIN_TOKEN}\n`);
    admin = connect("test-admin", ADMIN_PASSWORD);
    model = await FakeModel.start();
  });

  afterAll(async () => {
    for (const child of children) if (child.child.exitCode === null) child.child.kill("SIGKILL");
    admin?.disconnect();
    await model?.close();
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function startCache(): CliRun {
    const cache = runCli(
      [
        "cache",
        "--port",
        "0",
        "--http-port",
        "0",
        "--admin-port",
        "0",
        "--admin-token-file",
        join(dir, "admin-token"),
        "--model",
        model.address,
        "--store",
        as("seniority-cache"),
        ...tlsFlags(),
        "--redis-password-file",
        files.cachePassword,
        "--max-delay-ms",
        "1",
      ],
      { SENIORITY_LOG_LEVEL: "info" },
    );
    children.push(cache);
    return cache;
  }

  async function addresses(cache: CliRun): Promise<{ grpc: string; http: string; admin: string }> {
    await waitFor(() => cache.stdout().includes("\n") || cache.child.exitCode !== null, "the start line");
    const match =
      /grpc 127\.0\.0\.1:(\d+), http :(\d+), admin 127\.0\.0\.1:(\d+) \(.*store redis-compact/.exec(
        cache.stdout(),
      );
    expect(match, cache.stdout() + cache.stderr()).not.toBeNull();
    return {
      grpc: `127.0.0.1:${match![1]}`,
      http: `http://127.0.0.1:${match![2]}`,
      admin: `127.0.0.1:${match![3]}`,
    };
  }

  it("two replicas (compact layout) share answers, claims, pacing and invalidations as seniority-cache", async () => {
    const [a, b] = [startCache(), startCache()];
    const [at, bt] = [await addresses(a), await addresses(b)];
    for (const { http } of [at, bt]) {
      const ready = await fetch(`${http}/readyz`);
      expect(await ready.json()).toMatchObject({ ready: true, store: "ok", storeKind: "redis-compact" });
    }
    const channels = [createChannel(at.grpc), createChannel(bt.grpc), createChannel(at.admin)];
    try {
      const [inferA, inferB] = channels.slice(0, 2).map((c) => createClient(SeniorityModelDefinition, c));
      const batch = Array.from({ length: 20 }, (_, i) => ({
        uuid: i,
        company: "TLS Corp",
        title: `Role ${i}`,
      }));
      // Both at once: each pair is claimed in Redis by one replica and inferred once.
      const [fromA, fromB] = await Promise.all([
        inferA!.inferSeniority({ batch }),
        inferB!.inferSeniority({ batch }),
      ]);
      expect(fromA.batch.map((item) => item.seniority)).toEqual(batch.map(() => 3));
      expect(fromB).toEqual(fromA);
      expect(model.requests.flatMap((r) => r.batch).length).toBe(20);
      const base = `${PREFIX}{${NAMESPACE}}`;
      // The layout record was written as this ACL user (the :pace window key expires one window
      // after the last send, so it is not asserted here).
      expect(await admin.exists(`${base}:meta`)).toBe(1);
      expect(await admin.keys(`${base}:claim:*`)).toEqual([]); // released after the answers were stored

      // Invalidate on A: B's L1 forgets the pair too (pub/sub), so B asks the model again.
      const adminA = createClient(CacheAdminServiceDefinition, channels[2]!, {
        "*": { metadata: Metadata({ authorization: `Bearer ${ADMIN_TOKEN}` }) },
      });
      expect(await adminA.invalidate({ pairs: [{ company: "TLS Corp", title: "Role 0" }] })).toEqual({
        removed: 1,
      });
      await waitFor(async () => {
        await inferB!.inferSeniority({ batch: [batch[0]!] });
        return model.requests.flatMap((r) => r.batch).length === 21;
      }, "B to ask the model again after the invalidation");
    } finally {
      for (const channel of channels) channel.close();
    }
    for (const cache of [a, b]) {
      cache.child.kill("SIGTERM");
      expect((await cache.exited).code).toBe(0);
      const output = cache.stdout() + cache.stderr();
      // The one refusal by design: CONFIG GET (the bucket-density check), logged at info and skipped.
      const refused = output
        .split("\n")
        .filter((line) => /NOPERM|degraded|not reachable|WRONGPASS/.test(line));
      expect(refused.map((line) => /"msg":"([^"]*)"/.exec(line)?.[1])).toEqual([
        "cannot read hash-max-listpack-entries (CONFIG not allowed?); bucket density not checked",
      ]);
      for (const secret of SECRETS) expect(output).not.toContain(secret);
    }
  });

  it("the keys layout works as seniority-cache too", async () => {
    const store = await openStore(as("seniority-cache"), {
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

  it("seniority augment --leases rediss://… --redis-password-file runs and prints no secret", async () => {
    const cache = startCache();
    const { grpc } = await addresses(cache);
    mkdirSync(join(dir, "raw"));
    writeFileSync(join(dir, "raw", "1721183934.jsonl"), jsonlFixture(7, 50).bytes);
    const augment = runCli(
      [
        "augment",
        "--once",
        "--input",
        join(dir, "raw"),
        "--output",
        join(dir, "mod"),
        "--proxy",
        grpc,
        "--leases",
        as("seniority-augmenter"),
        ...tlsFlags(),
        "--redis-password-file",
        files.augmenterPassword,
      ],
      { SENIORITY_LOG_LEVEL: "info" },
    );
    children.push(augment);
    expect((await augment.exited).code, augment.stderr()).toBe(0);
    const summary = JSON.parse(augment.stdout().trim()) as {
      files: Record<string, number>;
      failedFiles: string[];
    };
    expect([summary.files.done, summary.failedFiles]).toEqual([1, []]);
    cache.child.kill("SIGTERM");
    await cache.exited;
    for (const child of [augment, cache]) {
      const output = child.stdout() + child.stderr();
      for (const secret of SECRETS) expect(output).not.toContain(secret);
    }
  });

  it("seniority augment in embedded mode (--store rediss://…) works as seniority-cache", async () => {
    mkdirSync(join(dir, "raw-embedded"));
    writeFileSync(join(dir, "raw-embedded", "1721183994.jsonl"), jsonlFixture(8, 30).bytes);
    const augment = runCli(
      [
        "augment",
        "--once",
        "--input",
        join(dir, "raw-embedded"),
        "--output",
        join(dir, "mod-embedded"),
        "--model",
        model.address,
        "--store",
        as("seniority-cache"),
        ...tlsFlags(),
        "--redis-password-file",
        files.cachePassword,
      ],
      { SENIORITY_LOG_LEVEL: "info" },
    );
    children.push(augment);
    expect((await augment.exited).code, augment.stderr()).toBe(0);
    const summary = JSON.parse(augment.stdout().trim()) as { files: Record<string, number> };
    expect(summary.files.done).toBe(1);
    // An embedded cache that could not use Redis would still finish (degraded): the log tells.
    expect(augment.stderr()).not.toMatch(
      /degraded|not reachable|WRONGPASS|NOPERM(?! this user has no permissions to run the 'config\|get')/,
    );
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
    for (const options of [{}, { tls: { ca: readFileSync(certs.ca) } }]) {
      const client = new Redis(redis.port, "127.0.0.1", {
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

  it("bad --redis-* flags → exit 2 with one line naming the flag", async () => {
    const runs = [
      runCli(["cache", "--store", "redis://127.0.0.1:1", "--redis-tls-ca", certs.ca]),
      runCli(["cache", "--store", as("u"), "--redis-tls-ca", join(dir, "absent.pem")]),
      runCli(["cache", "--store", as("u"), "--redis-tls-cert", certs.clientCert]),
      runCli([
        "cache",
        "--store",
        `rediss://u:inline@127.0.0.1:${redis.port}`,
        "--redis-password-file",
        files.cachePassword,
      ]),
      runCli([
        "augment",
        "--once",
        "--input",
        dir,
        "--output",
        dir,
        "--proxy",
        "127.0.0.1:1",
        "--redis-password-file",
        files.augmenterPassword,
      ]),
    ];
    children.push(...runs);
    const results = await Promise.all(runs.map(async (run) => [(await run.exited).code, run.stderr()]));
    expect(results).toEqual([
      [2, "error: --redis-tls-ca needs a rediss:// URL (TLS)\n"],
      [2, `error: --redis-tls-ca: cannot read ${join(dir, "absent.pem")} (ENOENT)\n`],
      [2, "error: --redis-tls-cert and --redis-tls-key go together\n"],
      [2, "error: --redis-password-file: the Redis URL has a password too; give only one\n"],
      [2, "error: --redis-password-file needs a Redis URL (redis:// or rediss://)\n"],
    ]);
  });

  it("no password or token appears in the output of any process of these tests", () => {
    expect(children.length).toBeGreaterThanOrEqual(9);
    for (const child of children) {
      const output = child.stdout() + child.stderr();
      for (const secret of SECRETS) expect(output).not.toContain(secret);
    }
  });
});
