import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "./freePort.js";
import { ServiceProcess } from "./ServiceProcess.js";

/**
 * A real redis-server on a free loopback port with its own data directory, no persistence (the
 * benchmark measures memory and lookups, not snapshots).
 */
export class RedisProcess {
  private constructor(
    readonly port: number,
    readonly service: ServiceProcess,
    private readonly dir: string,
  ) {}

  static async start(workDir: string): Promise<RedisProcess> {
    const port = await freePort();
    const dir = mkdtempSync(join(workDir, "redis-"));
    const args = [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "no",
    ];
    const service = await ServiceProcess.start("redis-server", "redis-server", args, {
      ready: async () => {
        const probe = new Redis(port, "127.0.0.1", {
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        probe.on("error", () => {}); // refused connections while starting are expected
        try {
          await probe.connect();
          return (await probe.ping()) === "PONG";
        } finally {
          probe.disconnect();
        }
      },
    });
    return new RedisProcess(port, service, dir);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** A new client (the caller disconnects it). */
  client(): Redis {
    return new Redis(this.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
  }

  /** `INFO memory` used_memory, bytes. */
  async usedMemory(client: Redis): Promise<number> {
    const info = await client.info("memory");
    const match = /^used_memory:(\d+)/m.exec(info);
    if (!match) throw new Error("INFO memory has no used_memory");
    return Number(match[1]);
  }

  async close(): Promise<void> {
    await this.service.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
