import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { clusterPorts } from "./clusterPorts.js";
import { RedisServer } from "./RedisServer.js";

const run = promisify(execFile);

/** One node of the cluster as CLUSTER NODES reports it. */
export interface ClusterNode {
  id: string;
  port: number;
  role: "master" | "replica";
  /** A replica's master id; a master's own id. */
  masterId: string;
  /** Slots served (masters), e.g. 5461. */
  slots: number;
  failed: boolean;
}

export interface RedisClusterOptions {
  /** Masters (default 3); each gets one replica. */
  masters?: number;
  /** `cluster-node-timeout`: how long a silent master stays a master, ms (default 1000). */
  nodeTimeoutMs?: number;
}

/**
 * A real local Redis Cluster: 2 × `masters` redis-server processes (`--cluster-enabled yes`), made
 * one cluster by `redis-cli --cluster create … --cluster-replicas 1`, each master with one replica.
 * Ports stay ≤ 55535 because each node also listens on its port + 10000 (the cluster bus).
 * `kill(port)` SIGKILLs a node (a crash) so its replica takes over; `close()` stops everything.
 */
export class RedisCluster {
  private constructor(
    readonly servers: readonly RedisServer[],
    private readonly dir: string,
  ) {}

  /** Starts the nodes, creates the cluster and waits for `cluster_state:ok` on every node (≤ 30 s). */
  static async start(options: RedisClusterOptions = {}): Promise<RedisCluster> {
    const masters = options.masters ?? 3;
    const dir = mkdtempSync(join(tmpdir(), "seniority-cluster-"));
    const servers: RedisServer[] = [];
    const cluster = new RedisCluster(servers, dir);
    try {
      for (const port of await clusterPorts(2 * masters)) {
        const node = join(dir, String(port));
        servers.push(
          await RedisServer.start({
            port,
            extraArgs: [
              "--cluster-enabled",
              "yes",
              "--cluster-config-file",
              `${node}.conf`,
              "--cluster-node-timeout",
              String(options.nodeTimeoutMs ?? 1000),
              // Replicas sync at once (default: 5 s later), so a master killed early has a replica to take over.
              "--repl-diskless-sync-delay",
              "0",
              "--logfile",
              `${node}.log`,
            ],
          }),
        );
      }
      const addresses = servers.map((s) => `127.0.0.1:${s.port}`);
      await run(
        "redis-cli",
        ["--cluster", "create", ...addresses, "--cluster-replicas", "1", "--cluster-yes"],
        {
          timeout: 30_000,
        },
      );
      await cluster.waitUntilHealthy(masters);
      return cluster;
    } catch (error) {
      await cluster.close();
      throw error;
    }
  }

  /** `redis-cluster://127.0.0.1:<port>,…` with every node as a seed. */
  get url(): string {
    return `redis-cluster://${this.servers.map((s) => `127.0.0.1:${s.port}`).join(",")}`;
  }

  /** The nodes as the first live node sees them (CLUSTER NODES). */
  async nodes(): Promise<ClusterNode[]> {
    const text = await this.ask(this.live()[0]!.port, "CLUSTER", "NODES");
    return String(text)
      .trim()
      .split("\n")
      .map((line) => {
        const [id, address, flags, master, , , , , ...slots] = line.split(" ");
        const role = flags!.includes("master") ? "master" : "replica";
        return {
          id: id!,
          port: Number(/:(\d+)@/.exec(address!)?.[1]),
          role,
          masterId: role === "master" ? id! : master!,
          slots: slots.reduce((sum, range) => {
            const [from, to] = range.split("-").map(Number);
            return sum + (to === undefined ? 1 : to - from! + 1);
          }, 0),
          failed: flags!.includes("fail") && !flags!.includes("fail?"),
        } satisfies ClusterNode;
      });
  }

  /** Ports of the serving masters (not failed), in port order. */
  async masterPorts(): Promise<number[]> {
    return (await this.nodes())
      .filter((n) => n.role === "master" && !n.failed && n.slots > 0)
      .map((n) => n.port)
      .sort((a, b) => a - b);
  }

  /** The port of the master serving `key`'s slot (CLUSTER KEYSLOT, then CLUSTER SLOTS). */
  async portServing(key: string): Promise<number> {
    const port = this.live()[0]!.port;
    const slot = Number(await this.ask(port, "CLUSTER", "KEYSLOT", key));
    const ranges = (await this.ask(port, "CLUSTER", "SLOTS")) as [
      number,
      number,
      [string, number, ...unknown[]],
    ][];
    const range = ranges.find(([from, to]) => slot >= from && slot <= to);
    if (!range) throw new Error(`no master serves slot ${slot}`);
    return Number(range[2][1]);
  }

  /** A client of one node (not cluster-aware), for INFO, DBSIZE, SCAN on that node; disconnect it. */
  nodeClient(port: number): Redis {
    return new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 1 });
  }

  /** SIGKILLs the node on `port` (a crash); it stays down (see waitUntilHealthy for the failover). */
  async kill(port: number): Promise<void> {
    const server = this.servers.find((s) => s.port === port);
    if (!server) throw new Error(`no cluster node on port ${port}`);
    await server.stop();
  }

  /**
   * Waits (≤ `timeoutMs`) until every live node reports `cluster_state:ok` and `masters` masters
   * serve all 16384 slots: after start, or after a kill once the replica was promoted (pass the
   * killed master's port as `without`: healthy then means no slot is served by it).
   */
  async waitUntilHealthy(
    masters: number,
    options: { without?: number; timeoutMs?: number } = {},
  ): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    let last: string;
    for (;;) {
      try {
        const states = await Promise.all(this.live().map((s) => this.ask(s.port, "CLUSTER", "INFO")));
        const serving = (await this.nodes()).filter(
          (n) => n.role === "master" && !n.failed && n.slots > 0 && n.port !== options.without,
        );
        const slots = serving.reduce((sum, n) => sum + n.slots, 0);
        if (
          states.every((s) => /cluster_state:ok/.test(String(s))) &&
          serving.length === masters &&
          slots === 16384
        )
          return;
        last = `${serving.length} serving masters, ${slots} slots`;
      } catch (error) {
        last = String(error);
      }
      if (Date.now() > deadline) throw new Error(`redis cluster not healthy after ${timeoutMs} ms: ${last}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Idempotent: stops every node and removes the cluster's files. */
  async close(): Promise<void> {
    await Promise.allSettled(this.servers.map((s) => s.close()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private live(): RedisServer[] {
    const live = this.servers.filter((s) => s.pid !== undefined);
    if (live.length === 0) throw new Error("no cluster node is running");
    return live;
  }

  private async ask(port: number, ...command: [string, ...string[]]): Promise<unknown> {
    const client = new Redis(port, "127.0.0.1", {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on("error", () => {}); // a dead node: the call below rejects
    try {
      await client.connect();
      return await client.call(...command);
    } finally {
      client.disconnect();
    }
  }
}
