import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import {
  type GeneratedCertificates as RedisCertificates,
  type RedisServer,
  waitFor,
  TestCertificates,
  type CertificateFiles,
} from "@seniority/testkit";
import { startAclRedis } from "./startAclRedis.js";
import { runCli, type CliRun } from "./runCli.js";

const REDIS_PASSWORD = "chain-cache-pw-6b1e";
/** The test superuser of the chain's Redis (to inspect what the ACL user wrote). */
export const REDIS_ADMIN = { user: "chain-admin", password: "chain-admin-pw-0c4d" };
/** The one input file's lines (raw/1721183934.jsonl). */
const LINES = [
  '{"company": "Acme", "title": "Chief Executive Officer"}',
  '{"company": "Initech", "title": "Junior Software Engineer"}',
  '{"company": "Globex", "title": "Accounting Intern"}',
];

/**
 * Issue 13's whole chain for the current suite, every party a real process with real certificates
 * (openssl): `seniority model-sim` and `seniority cache` serving mTLS, the cache → Redis hop over
 * TLS (client certificate required) as the least-privilege ACL user of deploy/redis/users.acl with
 * its password in a file. Started in a beforeAll (members readable in a hook or a test), every
 * run in `runs` killed in afterAll. `secrets` holds each private key's body and the passwords: no
 * line any process prints may contain one. `augment(output, ...tlsFlags)` runs `seniority augment
 * --once` from raw/ into `output` through the proxy.
 */
export function useTlsChain() {
  let certs: TestCertificates | undefined;
  let ca: CertificateFiles | undefined;
  let proxyClient: CertificateFiles | undefined;
  let augmenterClient: CertificateFiles | undefined;
  let dir: string | undefined;
  let sim: CliRun | undefined;
  let proxy: CliRun | undefined;
  let proxyAddress: string | undefined;
  let simAddress: string | undefined;
  let redis: RedisServer | undefined;
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
    const simCert = certs.issue("model-sim", ca);
    const proxyCert = certs.issue("proxy", ca);
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
    let redisCerts: RedisCertificates;
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
      ...["--port", "0", "--http-port", "0"],
      ...["--tls-cert", simCert.cert, "--tls-key", simCert.key, "--tls-client-ca", ca.cert],
    ]);
    sim = simServing.run;
    simAddress = byName(simServing.address);
    const proxyServing = await serve([
      "cache",
      ...["--port", "0", "--http-port", "0"],
      ...["--store", `rediss://seniority-cache@127.0.0.1:${redis.port}`],
      ...["--redis-password-file", join(dir, "redis-password")],
      ...["--redis-tls-ca", redisCerts.ca],
      ...["--redis-tls-cert", redisCerts.clientCert, "--redis-tls-key", redisCerts.clientKey],
      ...["--model-identity", "sim", "--model", `https://${byName(simServing.address)}`],
      ...["--model-tls-ca", ca.cert],
      ...["--model-tls-cert", proxyClient.cert, "--model-tls-key", proxyClient.key],
      ...["--tls-cert", proxyCert.cert, "--tls-key", proxyCert.key, "--tls-client-ca", ca.cert],
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

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useTlsChain(): the chain starts in beforeAll");
    return value;
  };
  const augment = (output: string, ...tls: string[]) =>
    runCli(
      [
        "augment",
        "--once",
        ...["--input", join(started(dir), "raw"), "--output", join(started(dir), output)],
        ...["--proxy", started(proxyAddress), ...tls],
      ],
      { SENIORITY_LOG_LEVEL: "info" },
    );

  return {
    augment,
    secrets,
    runs,
    get ca() {
      return started(ca);
    },
    get proxyClient() {
      return started(proxyClient);
    },
    get augmenterClient() {
      return started(augmenterClient);
    },
    /** The `--proxy-tls-*` flags of a client dialling the proxy with the augmenter's certificate. */
    get proxyTlsFlags(): string[] {
      const { cert, key } = started(augmenterClient);
      return ["--proxy-tls-ca", started(ca).cert, "--proxy-tls-cert", cert, "--proxy-tls-key", key];
    },
    get dir() {
      return started(dir);
    },
    get sim() {
      return started(sim);
    },
    get proxy() {
      return started(proxy);
    },
    get proxyAddress() {
      return started(proxyAddress);
    },
    get simAddress() {
      return started(simAddress);
    },
    get redis() {
      return started(redis);
    },
  };
}
