import { Redis, type RedisOptions } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { RedisServer, type RedisServerOptions } from "./RedisServer.js";

/** What useRedis() hands a test file. Each member throws when read before the server started. */
export interface RedisFixture {
  /** The running server: `stop()`/`start()`/`pause()`/`resume()` for outage tests. */
  readonly server: RedisServer;
  /** The server's URL (`redis://127.0.0.1:<port>`, rediss:// with TLS). */
  readonly url: string;
  /** A new ioredis client of the server (TLS files from the server's options), disconnected in afterAll. */
  client(options?: RedisOptions): Redis;
}

/**
 * A real redis-server for the current suite: started in a beforeAll, closed in an afterAll together
 * with every client() made. Call it before the suite's own hooks: vitest runs after-hooks in
 * reverse order, so the suite closes its stores before the server goes away.
 */
export function useRedis(options: RedisServerOptions = {}): RedisFixture {
  let server: RedisServer | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    server = await RedisServer.start(options);
  });
  afterAll(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    await server?.close();
    server = undefined;
  });
  const running = (): RedisServer => {
    if (!server) throw new Error("useRedis(): the server starts in beforeAll; use it in a hook or a test");
    return server;
  };
  return {
    get server() {
      return running();
    },
    get url() {
      return running().url;
    },
    client(clientOptions = {}) {
      const redis = running();
      const client = new Redis(redis.url, {
        ...(options.tls ? { tls: redis.clientTls() } : {}),
        ...clientOptions,
      });
      clients.push(client);
      return client;
    },
  };
}
