import { RedisCluster } from "@seniority/testkit";
import type { Redis } from "ioredis";
import { redisCommandStats } from "./redisCommandStats.js";

/** Commands of the benchmark's own readings and of cluster upkeep, left out of "Redis ops". */
const UPKEEP = new Set([
  "info",
  "config",
  "cluster",
  "flushall",
  "dbsize",
  "memory",
  "scan",
  "ping",
  "client",
  "readonly",
]);

/** One master's share of the data. */
export interface MasterHolding {
  port: number;
  keys: number;
  usedMemoryBytes: number;
}

/**
 * The tests' real local Redis Cluster (testkit: 3 masters + 3 replicas on loopback, no
 * persistence), plus what a benchmark reads off its masters: command counts and data per master.
 */
export class RedisClusterProcess {
  private readonly clients = new Map<number, Redis>();
  private constructor(private readonly cluster: RedisCluster) {}

  static async start(): Promise<RedisClusterProcess> {
    return new RedisClusterProcess(await RedisCluster.start());
  }

  /** `redis-cluster://…` with every node as a seed. */
  get url(): string {
    return this.cluster.url;
  }

  /** Empties every master (replicas follow) and zeroes their command statistics. */
  async reset(): Promise<void> {
    for (const master of await this.masters()) {
      await master.flushall();
      await master.config("RESETSTAT");
    }
  }

  /** Commands the masters executed since the last reset, upkeep and the benchmark's readings left out. */
  async commandCalls(): Promise<number> {
    let calls = 0;
    for (const master of await this.masters()) {
      for (const [name, stat] of await redisCommandStats(master)) if (!UPKEEP.has(name)) calls += stat.calls;
    }
    return calls;
  }

  /** Keys and `used_memory` of each master, in port order. */
  async holdings(): Promise<MasterHolding[]> {
    const out: MasterHolding[] = [];
    for (const port of await this.cluster.masterPorts()) {
      const master = this.client(port);
      const memory = /^used_memory:(\d+)/m.exec(await master.info("memory"))?.[1];
      out.push({ port, keys: await master.dbsize(), usedMemoryBytes: Number(memory) });
    }
    return out;
  }

  async close(): Promise<void> {
    for (const client of this.clients.values()) client.disconnect();
    await this.cluster.close();
  }

  private async masters(): Promise<Redis[]> {
    return (await this.cluster.masterPorts()).map((port) => this.client(port));
  }

  private client(port: number): Redis {
    let client = this.clients.get(port);
    if (!client) this.clients.set(port, (client = this.cluster.nodeClient(port)));
    return client;
  }
}
