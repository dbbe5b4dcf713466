import { createLogger } from "@seniority/telemetry";
import { SeniorityModelDefinition, CacheAdminServiceDefinition } from "@seniority/proto";
import { createChannel, createClient } from "nice-grpc";
import { CacheServer, type CacheServerOptions } from "../../src/CacheServer.js";
import type { ModelBackend } from "../../src/ModelBackend.js";
import { openSeniorityCache, type OpenSeniorityCacheConfig } from "../../src/openSeniorityCache.js";
import { SeniorityCache } from "../../src/SeniorityCache.js";
import type { SeniorityCacheOptions } from "../../src/SeniorityCacheOptions.js";
import { MemoryStore } from "../../src/store/index.js";

export type Stack = Awaited<ReturnType<typeof serve>>;

const logger = createLogger("seniority-cache-test");

/** Test defaults: no pacing, 1 ms batching delay, a small L1 (a 1M-entry LRU takes ~0.3 s to allocate). */
const FAST = { modelCapacity: Number.POSITIVE_INFINITY, maxDelayMs: 1, l1Entries: 10_000, logger } as const;

/** Serves `cache` on a free loopback port, with clients for the model contract and the admin API. */
export async function serve(cache: SeniorityCache, options: Partial<CacheServerOptions> = {}) {
  const server = await CacheServer.start({ cache, port: 0, host: "127.0.0.1", logger, ...options });
  const channel = createChannel(server.address);
  return {
    cache,
    server,
    channel,
    client: createClient(SeniorityModelDefinition, channel),
    admin: createClient(CacheAdminServiceDefinition, channel),
    async close(): Promise<void> {
      channel.close();
      await server.close();
      await cache.close();
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
