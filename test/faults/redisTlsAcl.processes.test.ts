import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CacheAdminServiceDefinition, SeniorityModelDefinition } from "@seniority/proto";
import { createChannel, createClient, Metadata } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { waitFor } from "@seniority/testkit";
import { jsonlFixture } from "../../services/augmenter/test/jsonlFixture.js";
import { ADMIN_TOKEN, NAMESPACE, PREFIX, SECRETS, useAclRedis } from "../support/useAclRedis.js";
import { augmentOnce } from "../support/augmentOnce.js";
import { runCli } from "../support/runCli.js";

// Issue 13.4: the cache (store, both layouts, and coordination between two replicas) and the
// augmenter's leases work over TLS (client certificates required) as the least-privilege users of
// the checked-in deploy/redis/users.acl, with passwords from files; what lies outside the ACL is
// refused. A real redis-server (--port 0 --tls-port, --aclfile), certificates made by openssl, real
// `seniority cache` and `seniority augment` processes (see useAclRedis).
// This file: the `seniority` processes (two cache replicas, augment with leases, embedded augment,
// bad flags); the last test reads every process's output for a secret.

describe("Redis over TLS with the least-privilege ACL (issue 13.4)", () => {
  const acl = useAclRedis();
  const { dir, children, files, tlsFlags, as, startCache, addresses } = acl;

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
      expect(acl.model.requests.flatMap((r) => r.batch).length).toBe(20);
      const base = `${PREFIX}{${NAMESPACE}}`;
      // The layout record was written as this ACL user (the :pace window key expires one window
      // after the last send, so it is not asserted here).
      expect(await acl.admin.exists(`${base}:meta`)).toBe(1);
      expect(await acl.admin.keys(`${base}:claim:*`)).toEqual([]); // released after the answers were stored

      // Invalidate on A: B's L1 forgets the pair too (pub/sub), so B asks the model again.
      const adminA = createClient(CacheAdminServiceDefinition, channels[2]!, {
        "*": { metadata: Metadata({ authorization: `Bearer ${ADMIN_TOKEN}` }) },
      });
      expect(await adminA.invalidate({ pairs: [{ company: "TLS Corp", title: "Role 0" }] })).toEqual({
        removed: 1,
      });
      await waitFor(async () => {
        await inferB!.inferSeniority({ batch: [batch[0]!] });
        return acl.model.requests.flatMap((r) => r.batch).length === 21;
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

  it("seniority augment --leases rediss://… --redis-password-file runs and prints no secret", async () => {
    const cache = startCache();
    const { grpc } = await addresses(cache);
    mkdirSync(join(dir, "raw"));
    writeFileSync(join(dir, "raw", "1721183934.jsonl"), jsonlFixture(7, 50).bytes);
    const augment = runCli(
      augmentOnce(
        join(dir, "raw"),
        join(dir, "mod"),
        ...["--proxy", grpc, "--leases", as("seniority-augmenter"), ...tlsFlags()],
        ...["--redis-password-file", files.augmenterPassword],
      ),
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
      augmentOnce(
        join(dir, "raw-embedded"),
        join(dir, "mod-embedded"),
        ...["--model", acl.model.address, "--store", as("seniority-cache"), ...tlsFlags()],
        ...["--redis-password-file", files.cachePassword],
      ),
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

  it("bad --redis-* flags → exit 2 with one line naming the flag", async () => {
    const runs = [
      runCli(["cache", "--store", "redis://127.0.0.1:1", "--redis-tls-ca", acl.certs.ca]),
      runCli(["cache", "--store", as("u"), "--redis-tls-ca", join(dir, "absent.pem")]),
      runCli(["cache", "--store", as("u"), "--redis-tls-cert", acl.certs.clientCert]),
      runCli([
        "cache",
        "--store",
        `rediss://u:inline@127.0.0.1:${acl.redis.port}`,
        "--redis-password-file",
        files.cachePassword,
      ]),
      runCli(
        augmentOnce(dir, dir, "--proxy", "127.0.0.1:1", "--redis-password-file", files.augmenterPassword),
      ),
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
