import { HttpEndpoint, createRegistry, type Logger } from "@seniority/telemetry";
import { CacheMetrics } from "@seniority/seniority-cache";
import { CacheServer, type AdminListenerOptions } from "./CacheServer.js";
import { openSeniorityCache, type OpenSeniorityCacheConfig } from "@seniority/seniority-cache";
import type { ServerTlsOptions, ServerTransportOptions } from "@seniority/proto";
import type { RequestLimits } from "./RequestLimits.js";
import type { SeniorityCache } from "@seniority/seniority-cache";

export interface CacheServiceConfig extends Omit<OpenSeniorityCacheConfig, "metrics" | "logger"> {
  /** gRPC listen address (default host "0.0.0.0"). */
  host?: string;
  port: number;
  /** Port of /metrics, /healthz, /readyz; undefined: no HTTP endpoint. */
  httpPort?: number;
  limits?: Partial<RequestLimits>;
  maxMessageBytes?: number;
  /** The gRPC server's TLS (default plaintext). */
  tls?: ServerTlsOptions;
  /** The gRPC server's per-connection limits. */
  transport?: ServerTransportOptions;
  /** The admin listener (Lookup, Invalidate behind a token); undefined: none. */
  admin?: AdminListenerOptions;
  logger: Logger;
}

/**
 * The whole proxy process: SeniorityCache + CacheServer + the HTTP endpoint, metrics on the
 * service's own registry. /readyz is 200 while serving (details: store "ok" or "degraded", the
 * model circuit) and 503 once shutdown has begun.
 */
export class CacheService {
  private closing: Promise<void> | undefined;
  private endpoint: HttpEndpoint | undefined;

  private constructor(
    readonly cache: SeniorityCache,
    readonly server: CacheServer,
    private readonly logger: Logger,
  ) {}

  /** The HTTP endpoint (/metrics, /healthz, /readyz), when one was asked for. */
  get http(): HttpEndpoint | undefined {
    return this.endpoint;
  }

  static async start(config: CacheServiceConfig): Promise<CacheService> {
    const { host, port, httpPort, limits, maxMessageBytes, tls, transport, admin, logger, ...cacheConfig } =
      config;
    const registry = createRegistry("seniority-cache");
    const metrics = new CacheMetrics(registry);
    const cache = await openSeniorityCache({ ...cacheConfig, metrics, logger });
    let server: CacheServer | undefined;
    try {
      server = await CacheServer.start({
        cache,
        port,
        logger,
        metrics,
        ...(host ? { host } : {}),
        limits,
        maxMessageBytes,
        ...(tls ? { tls } : {}),
        ...(transport ? { transport } : {}),
        ...(admin ? { admin } : {}),
      });
      const service = new CacheService(cache, server, logger);
      if (httpPort !== undefined) {
        service.endpoint = await HttpEndpoint.start({
          port: httpPort,
          // One --host rule: /metrics listens where gRPC does (loopback by default on the CLI).
          host: server.host,
          registry,
          readiness: () => ({
            ready: !service.closing,
            details: { store: cache.degraded ? "degraded" : "ok", storeKind: cache.stats().storeKind },
          }),
        });
      }
      return service;
    } catch (error) {
      await server?.close();
      await cache.close();
      throw error;
    }
  }

  /**
   * Idempotent graceful shutdown: readiness fails, the server stops accepting and finishes calls in
   * progress, the cache drains its batches and flushes writes, then the HTTP endpoint closes.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const [step, run] of [
        ["stop gRPC server", () => this.server.close()],
        ["close cache", () => this.cache.close()],
        ["close HTTP endpoint", async () => this.http?.close()],
      ] as const) {
        try {
          await run();
        } catch (error) {
          this.logger.error({ err: error, step }, "shutdown step failed");
        }
      }
    })();
    return this.closing;
  }
}
