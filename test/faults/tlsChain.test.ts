import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type GeneratedCertificates as RedisCertificates,
  type RedisServer,
  waitFor,
  TestCertificates,
  type CertificateFiles,
} from "@seniority/testkit";
import { startAclRedis } from "../support/startAclRedis.js";
import { runCli, type CliRun } from "../support/runCli.js";

// Issue 13 "done when": the whole chain augmenter → proxy → model-sim with mTLS on both hops, and
// proxy → Redis over TLS (client certificate required) as the least-privilege ACL user of
// deploy/redis/users.acl with its password in a file — every party a real process (`seniority`,
// redis-server) with real certificates (openssl), and no private key or password in any line any
// of them prints.
const REDIS_PASSWORD = "chain-cache-pw-6b1e";
const REDIS_ADMIN = { user: "chain-admin", password: "chain-admin-pw-0c4d" };
const LINES = [
  '{"company": "Acme", "title": "Chief Executive Officer"}',
  '{"company": "Initech", "title": "Junior Software Engineer"}',
  '{"company": "Globex", "title": "Accounting Intern"}',
];

describe("augmenter → proxy → model-sim, mTLS on every hop", () => {
  let certs: TestCertificates;
  let ca: CertificateFiles;
  let simCert: CertificateFiles;
  let proxyCert: CertificateFiles;
  let proxyClient: CertificateFiles;
  let augmenterClient: CertificateFiles;
  let dir: string;
  let sim: CliRun;
  let proxy: CliRun;
  let proxyAddress: string;
  let simAddress: string;
  let redis: RedisServer;
  let redisCerts: RedisCertificates;
  // Dialled by name (the certificates carry DNS:localhost): grpc-js sends the host as TLS SNI, and
  // Node warns once (DEP0123) when that host is an IP address.
  const byName = (address: string): string => address.replace(/^127\.0\.0\.1:/, "localhost:");
  const secrets: string[] = [];
  const runs: CliRun[] = [];

  /** Starts a serving command and returns its gRPC address from its listening line. */
  async function serve(args: string[]): Promise<{ run: CliRun; address: string }> {
    const run = runCli(args, { SENIORITY_LOG_LEVEL: "debug" });
    runs.push(run);
    let address: string | undefined;
    await waitFor(() => {
      address = /listening: grpc (\S+?),/.exec(run.stdout())?.[1];
      if (run.child.exitCode !== null) throw new Error(`${args[0]} exited: ${run.stderr()}`);
      return address !== undefined;
    }, `${args[0]}'s listening line`);
    return { run, address: address! };
  }

  beforeAll(async () => {
    certs = new TestCertificates();
    ca = certs.authority("chain");
    simCert = certs.issue("model-sim", ca);
    proxyCert = certs.issue("proxy", ca);
    proxyClient = certs.issue("proxy-client", ca, { usage: "client" });
    augmenterClient = certs.issue("augmenter-client", ca, { usage: "client" });
    for (const files of [ca, simCert, proxyCert, proxyClient, augmenterClient]) {
      // The base64 body of each key: no line of output may contain any piece of it.
      secrets.push(
        ...readFileSync(files.key, "utf8")
          .split("\n")
          .filter((line) => line.length > 40),
      );
    }
    dir = await mkdtemp(join(tmpdir(), "tls-chain-"));
    secrets.push(REDIS_PASSWORD, REDIS_ADMIN.password);
    ({ redis, certs: redisCerts } = await startAclRedis(
      dir,
      { "seniority-cache": REDIS_PASSWORD },
      REDIS_ADMIN,
    ));
    await writeFile(join(dir, "redis-password"), `${REDIS_PASSWORD}\n`);
    await mkdir(join(dir, "raw"));
    await writeFile(join(dir, "raw", "1721183934.jsonl"), LINES.join("\n") + "\n");

    const simServing = await serve([
      "model-sim",
      "--port",
      "0",
      "--http-port",
      "0",
      "--tls-cert",
      simCert.cert,
      "--tls-key",
      simCert.key,
      "--tls-client-ca",
      ca.cert,
    ]);
    sim = simServing.run;
    simAddress = byName(simServing.address);
    const proxyServing = await serve([
      "cache",
      "--port",
      "0",
      "--http-port",
      "0",
      "--store",
      `rediss://seniority-cache@127.0.0.1:${redis.port}`,
      "--redis-password-file",
      join(dir, "redis-password"),
      "--redis-tls-ca",
      redisCerts.ca,
      "--redis-tls-cert",
      redisCerts.clientCert,
      "--redis-tls-key",
      redisCerts.clientKey,
      "--model-identity",
      "sim",
      "--model",
      `https://${byName(simServing.address)}`,
      "--model-tls-ca",
      ca.cert,
      "--model-tls-cert",
      proxyClient.cert,
      "--model-tls-key",
      proxyClient.key,
      "--tls-cert",
      proxyCert.cert,
      "--tls-key",
      proxyCert.key,
      "--tls-client-ca",
      ca.cert,
    ]);
    proxy = proxyServing.run;
    proxyAddress = byName(proxyServing.address);
  });
  afterAll(async () => {
    for (const run of runs) if (run.child.exitCode === null) run.child.kill("SIGTERM");
    await Promise.all(runs.map((run) => run.exited));
    certs?.close();
    await redis?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const augment = (output: string, ...tls: string[]) =>
    runCli(
      [
        "augment",
        "--once",
        "--input",
        join(dir, "raw"),
        "--output",
        join(dir, output),
        "--proxy",
        proxyAddress,
        ...tls,
      ],
      { SENIORITY_LOG_LEVEL: "info" },
    );

  it("augments every line through both mTLS hops; no private key in any output", async () => {
    expect(sim.stdout()).toMatch(
      /^model-sim listening: grpc 127\.0\.0\.1:\d+, http \S+ \(capacity 1000 items\/s, mTLS\)\n$/,
    );
    expect(proxy.stdout()).toMatch(
      /^seniority-cache listening: grpc 127\.0\.0\.1:\d+, http :\d+ \(mTLS, model https:\/\/localhost:\d+, store redis-compact, namespace v1:std:sim:k2\)/,
    );
    const run = augment(
      "mod",
      "--proxy-tls-ca",
      ca.cert,
      "--proxy-tls-cert",
      augmenterClient.cert,
      "--proxy-tls-key",
      augmenterClient.key,
    );
    runs.push(run);
    expect(await run.exited, run.stderr()).toEqual({ code: 0, signal: null });
    const outputs = (await readdir(join(dir, "mod"))).filter((name) => name.endsWith(".jsonl"));
    expect(outputs).toEqual(["1721183934.jsonl"]);
    const lines = (await readFile(join(dir, "mod", "1721183934.jsonl"), "utf8")).trimEnd().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { seniority: number }).seniority)).toEqual([7, 2, 1]);
    // The three answers were written to Redis (over TLS, as the ACL user): one field each in the
    // compact layout's bucket hashes.
    const admin = new Redis(redis.port, "127.0.0.1", {
      tls: redis.clientTls(),
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
      proxy.stdout() + proxy.stderr(),
      sim.stdout() + sim.stderr(),
    ]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it("refuses an augmenter without a client certificate, and a plaintext one, each with one clear line", async () => {
    const started = Date.now();
    const [noCert, plaintext] = [augment("mod-nocert", "--proxy-tls-ca", ca.cert), augment("mod-plain")];
    runs.push(noCert, plaintext);
    expect((await noCert.exited).code).toBe(1);
    expect((await plaintext.exited).code).toBe(1);
    // Refused at the handshake, not after a 3 s probe deadline and retries.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(noCert.stderr()).toMatch(
      new RegExp(
        `^augment: the proxy at ${proxyAddress} is not reachable \\(health check: UNAVAILABLE: .*; the server refused this client's certificate \\(mTLS\\): check --proxy-tls-cert and --proxy-tls-key\\)\\n$`,
      ),
    );
    expect(plaintext.stderr()).toMatch(
      new RegExp(
        `^augment: the proxy at ${proxyAddress} is not reachable \\(health check: UNAVAILABLE: .*; TLS handshake failed / the server expects TLS: use https:// in --proxy or --proxy-tls-ca\\)\\n$`,
      ),
    );
    for (const text of [noCert.stderr(), plaintext.stderr(), proxy.stderr()]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it("seniority admin reaches the mTLS proxy with its --proxy-tls-* flags; without them, one clear line", async () => {
    // The admin API is on the proxy's gRPC port on this branch (issue 13.3 may move it).
    const admin = (...args: string[]) => runCli(["admin", "--proxy", proxyAddress, ...args, "stats"]);
    const withCert = admin(
      "--proxy-tls-ca",
      ca.cert,
      "--proxy-tls-cert",
      augmenterClient.cert,
      "--proxy-tls-key",
      augmenterClient.key,
    );
    const plaintext = admin();
    runs.push(withCert, plaintext);
    expect(await withCert.exited, withCert.stderr()).toEqual({ code: 0, signal: null });
    expect(JSON.parse(withCert.stdout())).toMatchObject({ namespace: expect.stringMatching(/:sim/) });
    expect(await plaintext.exited).toEqual({ code: 1, signal: null });
    expect(plaintext.stderr()).toMatch(
      new RegExp(
        `^admin call to ${proxyAddress} failed: UNAVAILABLE: .*; TLS handshake failed / the server expects TLS: use https:// in --proxy or --proxy-tls-ca\n$`,
      ),
    );
  });

  it("embedded mode: augment --model https://… --model-tls-* reaches the mTLS model-sim", async () => {
    const base = ["augment", "--once", "--input", join(dir, "raw"), "--store", "memory"];
    const embedded = runCli([
      ...base,
      "--output",
      join(dir, "mod-embedded"),
      "--model",
      `https://${simAddress}`,
      "--model-tls-ca",
      ca.cert,
      "--model-tls-cert",
      proxyClient.cert,
      "--model-tls-key",
      proxyClient.key,
    ]);
    const misplaced = runCli([
      ...base,
      "--output",
      join(dir, "mod-x"),
      "--model",
      "sim",
      "--model-tls-ca",
      ca.cert,
    ]);
    runs.push(embedded, misplaced);
    expect(await embedded.exited, embedded.stderr()).toEqual({ code: 0, signal: null });
    const lines = (await readFile(join(dir, "mod-embedded", "1721183934.jsonl"), "utf8"))
      .trimEnd()
      .split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { seniority: number }).seniority)).toEqual([7, 2, 1]);
    expect(await misplaced.exited).toEqual({ code: 2, signal: null });
    expect(misplaced.stderr()).toBe("error: --model-tls-* flags need --model <host:port>\n");
  });

  it("a bad TLS flag is a usage error naming the flag (exit 2), and never prints the key", async () => {
    const missing = augment("mod-bad", "--proxy-tls-ca", ca.cert, "--proxy-tls-cert", augmenterClient.cert);
    const swapped = augment(
      "mod-bad",
      "--proxy-tls-ca",
      ca.cert,
      "--proxy-tls-cert",
      augmenterClient.key,
      "--proxy-tls-key",
      augmenterClient.key,
    );
    runs.push(missing, swapped);
    expect(await missing.exited).toEqual({ code: 2, signal: null });
    expect(missing.stderr()).toBe("error: --proxy-tls-cert needs --proxy-tls-key\n");
    expect(await swapped.exited).toEqual({ code: 2, signal: null });
    expect(swapped.stderr()).toBe(
      `error: --proxy-tls-cert ${augmenterClient.key} is not a PEM certificate\n`,
    );
    for (const secret of secrets) expect(swapped.stderr()).not.toContain(secret);
  });
});
