import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheNamespace } from "@seniority/pair-key";
import { readRedisSecurity, type RedisSecurity } from "@seniority/redis";
import { type GeneratedCertificates, type RedisServer, waitFor } from "@seniority/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect } from "vitest";
import { FakeModel } from "../../libs/seniority-cache/test/support/FakeModel.js";
import { runCli, type CliRun } from "./runCli.js";
import { startAclRedis } from "./startAclRedis.js";

export const CACHE_PASSWORD = "cache-pw-3d9f1a7c";
export const AUGMENTER_PASSWORD = "augm-pw-8e2b6c40";
const ADMIN_PASSWORD = "test-admin-pw-51c2";
/** The cache's admin API token (its file is `<dir>/admin-token`). */
export const ADMIN_TOKEN = "redis-test-admin-token-77";
/** Every password and token of these tests: none may appear in any output. */
export const SECRETS = [CACHE_PASSWORD, AUGMENTER_PASSWORD, ADMIN_PASSWORD, ADMIN_TOKEN];
export const PREFIX = "seniority:";
export const NAMESPACE = cacheNamespace("v1", "standard", "model");

/**
 * Issue 13.4's Redis for the current suite: a real redis-server over TLS only (client certificates
 * required, openssl certificates in `dir`) with the checked-in deploy/redis/users.acl, the users'
 * passwords in `files`, a test superuser `admin` client, and a FakeModel for caches to call.
 * Started in a beforeAll (certs, redis, admin, model readable in a hook or a test); every process
 * in `children` is killed in afterAll. `startCache` runs `seniority cache` as seniority-cache.
 */
export function useAclRedis() {
  const dir = mkdtempSync(join(tmpdir(), "seniority-redis-tls-"));
  let certs: GeneratedCertificates | undefined;
  let redis: RedisServer | undefined;
  let admin: Redis | undefined;
  let model: FakeModel | undefined;
  const children: CliRun[] = [];
  const files = { cachePassword: join(dir, "cache-password"), augmenterPassword: join(dir, "augm-password") };
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useAclRedis(): Redis and the model start in beforeAll");
    return value;
  };

  const tlsFlags = () => [
    ...["--redis-tls-ca", started(certs).ca],
    ...["--redis-tls-cert", started(certs).clientCert, "--redis-tls-key", started(certs).clientKey],
  ];
  const as = (user: string): string => `rediss://${user}@127.0.0.1:${started(redis).port}`;
  const security = (passwordFile: string): RedisSecurity => {
    const { ca, clientCert, clientKey } = started(certs);
    return readRedisSecurity({ tlsCa: ca, tlsCert: clientCert, tlsKey: clientKey, passwordFile }, [as("x")]);
  };
  /** A raw client as `user` (TLS with the client certificate). */
  const connect = (user: string, password: string): Redis =>
    new Redis(started(redis).port, "127.0.0.1", {
      tls: started(redis).clientTls(),
      username: user,
      password,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });

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
        ...["--port", "0", "--http-port", "0", "--admin-port", "0"],
        ...["--admin-token-file", join(dir, "admin-token")],
        ...["--model", started(model).address, "--store", as("seniority-cache"), ...tlsFlags()],
        ...["--redis-password-file", files.cachePassword, "--max-delay-ms", "1"],
      ],
      { SENIORITY_LOG_LEVEL: "info" },
    );
    children.push(cache);
    return cache;
  }

  /** The addresses a started cache prints in its start line. */
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

  return {
    dir,
    files,
    children,
    tlsFlags,
    as,
    security,
    connect,
    startCache,
    addresses,
    get certs(): GeneratedCertificates {
      return started(certs);
    },
    get redis(): RedisServer {
      return started(redis);
    },
    get admin(): Redis {
      return started(admin);
    },
    get model(): FakeModel {
      return started(model);
    },
  };
}
