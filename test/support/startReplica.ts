import { SeniorityModelDefinition } from "@seniority/proto";
import { CacheServer } from "@seniority/seniority-cache-service";
import {
  openSeniorityCache,
  type OpenSeniorityCacheConfig,
  type SeniorityCache,
} from "@seniority/seniority-cache";
import { createLogger } from "@seniority/telemetry";
import { createChannel, createClient, type Client } from "nice-grpc";
import { freePort } from "@seniority/testkit";

/** A seniority-cache replica as `seniority cache` runs it (store spec, model address), on a free port. */
export interface Replica {
  readonly cache: SeniorityCache;
  readonly client: Client<typeof SeniorityModelDefinition>;
  close(): Promise<void>;
}

const logger = createLogger("fault-test", "silent");

/**
 * With `peerOwnership`, the replica listens on a port chosen first and advertises it to its peers
 * (`peerAddress`), as `seniority cache --peer-address` does.
 */
export async function startReplica(
  config: OpenSeniorityCacheConfig,
  { peerOwnership = false }: { peerOwnership?: boolean } = {},
): Promise<Replica> {
  const port = peerOwnership ? await freePort() : 0;
  const cache = await openSeniorityCache({
    l1Entries: 100_000,
    maxDelayMs: 5,
    logger,
    ...(peerOwnership ? { peerAddress: `127.0.0.1:${port}` } : {}),
    ...config,
  });
  const server = await CacheServer.start({ cache, port, host: "127.0.0.1", logger });
  const channel = createChannel(server.address);
  return {
    cache,
    client: createClient(SeniorityModelDefinition, channel),
    async close() {
      channel.close();
      await server.close();
      await cache.close();
    },
  };
}
