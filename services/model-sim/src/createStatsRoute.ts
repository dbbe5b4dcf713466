import type { IncomingMessage, ServerResponse } from "node:http";
import type { ExtraRoute } from "@seniority/telemetry";
import type { Faults } from "./Faults.js";
import type { ModelSimStats } from "./SimStats.js";

/** What the HTTP routes need from the simulator. */
export interface StatsRouteTarget {
  stats(): ModelSimStats;
  resetStats(): void;
  faults(): Faults;
  setFaults(update: Partial<Faults>): void;
}

/** A fault update larger than this is refused (it is three small fields). */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * The simulator's own HTTP routes, next to /metrics, /healthz and /readyz:
 * GET /stats (JSON), POST /stats/reset (clears, answers the cleared stats),
 * GET /faults, POST /faults with JSON {errorRate?, latencyMs?, refuseAll?} (400 on a bad value).
 */
export function createStatsRoute(target: StatsRouteTarget): ExtraRoute {
  return async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/stats") {
      sendJson(res, 200, target.stats());
    } else if (req.method === "POST" && path === "/stats/reset") {
      target.resetStats();
      sendJson(res, 200, target.stats());
    } else if (req.method === "GET" && path === "/faults") {
      sendJson(res, 200, target.faults());
    } else if (req.method === "POST" && path === "/faults") {
      let update: unknown;
      try {
        update = JSON.parse(await readBody(req));
        target.setFaults(update as Partial<Faults>);
      } catch (error) {
        sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
        return true;
      }
      sendJson(res, 200, target.faults());
    } else {
      return false;
    }
    return true;
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(body) + "\n");
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new RangeError(`body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
