import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it } from "vitest";
import { useRedis, waitFor, type RedisServer } from "@seniority/testkit";

let server: RedisServer;
let clients: Redis[] = [];

describe("useRedis", () => {
  const redis = useRedis();
  const early = (() => {
    try {
      return redis.url;
    } catch (error) {
      return (error as Error).message;
    }
  })();
  beforeAll(() => {
    server = redis.server;
  });

  it("is not ready while the suite is being collected", () => {
    expect(early).toBe("useRedis(): the server starts in beforeAll; use it in a hook or a test");
  });

  it("gives the running server, its URL and clients of it", async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${server.port}`);
    clients = [redis.client(), redis.client({ connectionName: "second" })];
    await clients[0]!.set("k", "v");
    expect(await clients[1]!.get("k")).toBe("v");
    expect(await clients[1]!.client("GETNAME")).toBe("second");
  });
});

describe("after the suite that used it", () => {
  it("has closed the server and disconnected every client", async () => {
    expect(server.pid).toBeUndefined();
    // A client left connected would be reconnecting to the killed server, never "end".
    await waitFor(() => clients.every((client) => client.status === "end"), "clients to end", 5000);
    expect(clients.map((client) => client.status)).toEqual(["end", "end"]);
  });
});
