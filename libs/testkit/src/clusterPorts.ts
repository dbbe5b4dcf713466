import { createServer } from "node:net";
import { freePort } from "./freePort.js";

/** The highest port a cluster node may use: its bus listens on port + 10000 (≤ 65535). */
const MAX_NODE_PORT = 55_535;

/**
 * `count` distinct ports for Redis Cluster nodes: each ≤ 55535 and free together with its bus port
 * (+ 10000) a moment ago. Free ports the OS hands out above the limit are skipped.
 */
export async function clusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let attempt = 0; ports.length < count; attempt++) {
    if (attempt > 1000) throw new Error(`found only ${ports.length} of ${count} free cluster ports`);
    const port = await freePort();
    if (port > MAX_NODE_PORT || ports.includes(port) || !(await isFree(port + 10_000))) continue;
    ports.push(port);
  }
  return ports;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
