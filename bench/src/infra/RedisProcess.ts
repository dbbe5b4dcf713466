import { RedisServer } from "@seniority/testkit";
import { Redis } from "ioredis";
import { readProc, type ProcReading } from "../core/ProcessSampler.js";

/**
 * The tests' real redis-server (testkit: free loopback port, own data directory, no persistence: the
 * benchmark measures memory and lookups, not snapshots), plus what a benchmark reads off it.
 */
export class RedisProcess {
  private constructor(private readonly server: RedisServer) {}

  static async start(): Promise<RedisProcess> {
    return new RedisProcess(await RedisServer.start());
  }

  get port(): number {
    return this.server.port;
  }

  get url(): string {
    return this.server.url;
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

  /** CPU and memory of redis-server right now; throws if it is gone (a benchmark must notice a crash). */
  reading(): ProcReading {
    const pid = this.server.pid;
    const reading = pid === undefined ? undefined : readProc(pid);
    if (!reading) throw new Error(`redis-server on ${this.port} is not running`);
    return reading;
  }

  async close(): Promise<void> {
    await this.server.close();
  }
}
