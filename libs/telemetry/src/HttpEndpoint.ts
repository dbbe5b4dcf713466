import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface Readiness {
  ready: boolean;
  /** Shown as JSON on /readyz, e.g. { store: "degraded" }. */
  details?: Record<string, unknown>;
}

/** A route beyond the standard ones (model-sim's /stats, for example). */
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface HttpEndpointOptions {
  port: number;
  host?: string;
  registry: Registry;
  readiness?: () => Readiness;
  routes?: readonly ExtraRoute[];
}

/**
 * The operational HTTP port of a service: GET /metrics (Prometheus text of the service's own
 * registry), /healthz (the process is alive), /readyz (503 while not ready), plus extra routes.
 */
export class HttpEndpoint {
  private readonly server: Server;
  private closed = false;

  private constructor(private readonly options: HttpEndpointOptions) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(error instanceof Error ? error.message : "internal error");
      });
    });
  }

  static async start(options: HttpEndpointOptions): Promise<HttpEndpoint> {
    const endpoint = new HttpEndpoint(options);
    await new Promise<void>((resolve, reject) => {
      endpoint.server.once("error", reject);
      endpoint.server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
    });
    return endpoint;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/metrics") {
      res.setHeader("content-type", this.options.registry.contentType);
      res.end(await this.options.registry.metrics());
      return;
    }
    if (req.method === "GET" && path === "/healthz") {
      res.end("ok\n");
      return;
    }
    if (req.method === "GET" && path === "/readyz") {
      const readiness = this.options.readiness?.() ?? { ready: true };
      res.statusCode = readiness.ready ? 200 : 503;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ready: readiness.ready, ...readiness.details }) + "\n");
      return;
    }
    for (const route of this.options.routes ?? []) {
      if (await route(req, res)) return;
    }
    res.statusCode = 404;
    res.end("not found\n");
  }
}
