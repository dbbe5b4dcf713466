import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { REDIS_ADMIN, useTlsChain } from "../support/useTlsChain.js";

// Issue 13 "done when": the whole chain augmenter → proxy → model-sim with mTLS on both hops, and
// proxy → Redis over TLS (client certificate required) as the least-privilege ACL user of
// deploy/redis/users.acl with its password in a file — every party a real process (`seniority`,
// redis-server) with real certificates (openssl), and no private key or password in any line any
// of them prints (see useTlsChain).
// This file: `seniority augment` through the proxy, with and without its client certificate.

describe("augmenter → proxy → model-sim, mTLS on every hop", () => {
  const chain = useTlsChain();
  const { augment } = chain;

  it("augments every line through both mTLS hops; no private key in any output", async () => {
    expect(chain.sim.stdout()).toMatch(
      /^model-sim listening: grpc 127\.0\.0\.1:\d+, http \S+ \(capacity 1000 items\/s, mTLS\)\n$/,
    );
    expect(chain.proxy.stdout()).toMatch(
      /^seniority-cache listening: grpc 127\.0\.0\.1:\d+, http :\d+ \(mTLS, model https:\/\/localhost:\d+, store redis-compact, namespace v1:std:sim:k2\)/,
    );
    const run = augment("mod", ...chain.proxyTlsFlags);
    chain.runs.push(run);
    expect(await run.exited, run.stderr()).toEqual({ code: 0, signal: null });
    const outputs = (await readdir(join(chain.dir, "mod"))).filter((name) => name.endsWith(".jsonl"));
    expect(outputs).toEqual(["1721183934.jsonl"]);
    const lines = (await readFile(join(chain.dir, "mod", "1721183934.jsonl"), "utf8")).trimEnd().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { seniority: number }).seniority)).toEqual([7, 2, 1]);
    // The three answers were written to Redis (over TLS, as the ACL user): one field each in the
    // compact layout's bucket hashes.
    const admin = new Redis(chain.redis.port, "127.0.0.1", {
      tls: chain.redis.clientTls(),
      username: REDIS_ADMIN.user,
      password: REDIS_ADMIN.password,
      maxRetriesPerRequest: 0,
    });
    try {
      const buckets = (await admin.keys("seniority:{*}:b*")).filter((key) => /:b\d+:\d+$/.test(key));
      const fields = await Promise.all(buckets.map((key) => admin.hlen(key)));
      expect(fields.reduce((a, b) => a + b, 0)).toBe(3);
    } finally {
      admin.disconnect();
    }
    for (const text of [
      run.stdout() + run.stderr(),
      chain.proxy.stdout() + chain.proxy.stderr(),
      chain.sim.stdout() + chain.sim.stderr(),
    ]) {
      for (const secret of chain.secrets) expect(text).not.toContain(secret);
    }
  });

  it("refuses an augmenter without a client certificate, and a plaintext one, each with one clear line", async () => {
    const started = Date.now();
    const [noCert, plaintext] = [
      augment("mod-nocert", "--proxy-tls-ca", chain.ca.cert),
      augment("mod-plain"),
    ];
    chain.runs.push(noCert, plaintext);
    expect((await noCert.exited).code).toBe(1);
    expect((await plaintext.exited).code).toBe(1);
    // Refused at the handshake, not after a 3 s probe deadline and retries.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(noCert.stderr()).toMatch(
      new RegExp(
        `^augment: the proxy at ${chain.proxyAddress} is not reachable \\(health check: UNAVAILABLE: .*; the server refused this client's certificate \\(mTLS\\): check --proxy-tls-cert and --proxy-tls-key\\)\\n$`,
      ),
    );
    expect(plaintext.stderr()).toMatch(
      new RegExp(
        `^augment: the proxy at ${chain.proxyAddress} is not reachable \\(health check: UNAVAILABLE: .*; TLS handshake failed / the server expects TLS: use https:// in --proxy or --proxy-tls-ca\\)\\n$`,
      ),
    );
    for (const text of [noCert.stderr(), plaintext.stderr(), chain.proxy.stderr()]) {
      for (const secret of chain.secrets) expect(text).not.toContain(secret);
    }
  });
});
