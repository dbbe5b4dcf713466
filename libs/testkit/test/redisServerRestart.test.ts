import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { RedisServer } from "@seniority/testkit";

/** redis-server processes listening on `port` (by their command line, "redis-server 127.0.0.1:<port>"). */
function serversOn(port: number): number {
  const out = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
  return out.split("\n").filter((line) => line.trim() === `redis-server 127.0.0.1:${port}`).length;
}

describe("RedisServer start and stop", () => {
  it("start() while running is a no-op, so close() stops the one server there is", async () => {
    const server = await RedisServer.start();
    const pid = server.pid;
    await server.start(); // a second start (a test's finally after it restarted the server itself)
    expect(server.pid).toBe(pid);
    await server.stop();
    await server.start();
    await server.start();
    expect(serversOn(server.port)).toBe(1);
    await server.close();
    expect(server.pid).toBeUndefined();
    expect(serversOn(server.port)).toBe(0); // before: the first restarted server outlived close()
  });
});
