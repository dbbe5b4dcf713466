import { createLogger } from "@seniority/telemetry";
import { SeniorityModelDefinition, CacheAdminServiceDefinition } from "@seniority/proto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createChannel, createClient, Metadata } from "nice-grpc";
import { AdminToken } from "../../src/grpc/AdminToken.js";
import { CacheServer, type CacheServerOptions } from "../../src/grpc/CacheServer.js";
import type { ModelBackend } from "@seniority/seniority-cache";
import { openSeniorityCache, type OpenSeniorityCacheConfig } from "@seniority/seniority-cache";
import { SeniorityCache } from "@seniority/seniority-cache";
import type { SeniorityCacheOptions } from "@seniority/seniority-cache";
import { MemoryStore } from "@seniority/seniority-cache";

export type Stack = Awaited<ReturnType<typeof serve>>;

const logger = createLogger("seniority-cache-test");

/** Test defaults: no pacing, 1 ms batching delay, a small L1 (a 1M-entry LRU takes ~0.3 s to allocate). */
const FAST = { modelCapacity: Number.POSITIVE_INFINITY, maxDelayMs: 1, l1Entries: 10_000, logger } as const;

/** The admin token of every test stack (in a file of its own per stack). */
export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";

/**
 * Serves `cache` on a free loopback port, with clients for the model contract and the admin API
 * (on an admin listener of its own, port 0, behind TEST_ADMIN_TOKEN, which `admin` sends).
 */
export async function serve(cache: SeniorityCache, options: Partial<CacheServerOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "seniority-admin-"));
  writeFileSync(join(dir, "token"), TEST_ADMIN_TOKEN + "\n");
  const server = await CacheServer.start({
    cache,
    port: 0,
    host: "127.0.0.1",
    logger,
    admin: { port: 0, token: AdminToken.open(join(dir, "token")) },
    ...options,
  });
  const channel = createChannel(server.address);
  const adminChannel = createChannel(server.adminAddress ?? server.address);
  const metadata = Metadata({ authorization: `Bearer ${TEST_ADMIN_TOKEN}` });
  return {
    cache,
    server,
    channel,
    adminChannel,
    client: createClient(SeniorityModelDefinition, channel),
    admin: createClient(CacheAdminServiceDefinition, adminChannel, { "*": { metadata } }),
    async close(): Promise<void> {
      channel.close();
      adminChannel.close();
      await server.close();
      await cache.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A SeniorityCache over a MemoryStore and the given model backend, served. */
export async function startStack(
  options: Partial<SeniorityCacheOptions> & { model: ModelBackend; server?: Partial<CacheServerOptions> },
): Promise<Stack> {
  const { server, ...cacheOptions } = options;
  return serve(new SeniorityCache({ store: new MemoryStore(), ...FAST, ...cacheOptions }), server);
}

/** A cache opened as `seniority cache` opens it (store spec, model address), served. */
export async function startProxy(
  config: OpenSeniorityCacheConfig & { server?: Partial<CacheServerOptions> },
): Promise<Stack> {
  const { server, ...cacheConfig } = config;
  return serve(await openSeniorityCache({ ...FAST, ...cacheConfig }), server);
}
