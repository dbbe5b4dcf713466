import {
  addServerReflection,
  CacheAdminServiceDefinition,
  createServerTls,
  serverChannelOptions,
  SeniorityModelDefinition,
  StrictSeniorityModelDefinition,
  type ServerTls,
  type ServerTlsOptions,
  type ServerTransportOptions,
} from "@seniority/proto";
import type { Logger } from "@seniority/telemetry";
import { createServer, type Server } from "nice-grpc";
import { openTelemetryServerMiddleware } from "nice-grpc-opentelemetry";
import { HealthDefinition, HealthServiceImpl, HealthState } from "nice-grpc-server-health";
import type { CacheMetrics } from "./CacheMetrics.js";
import { createAdminService } from "./createAdminService.js";
import { createErrorMiddleware } from "./errorMiddleware.js";
import { createInferService } from "./createInferService.js";
import { createRequestMetricsMiddleware } from "./requestMetricsMiddleware.js";
import { createTerminator } from "./createTerminator.js";
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from "./RequestLimits.js";
import type { SeniorityCache } from "./SeniorityCache.js";

export interface CacheServerOptions {
  cache: SeniorityCache;
  /** Default "0.0.0.0". */
  host?: string;
  /** 0 picks a free port (see `port` after start). */
  port: number;
  limits?: Partial<RequestLimits>;
  /** Largest request accepted, bytes (default 32 MiB); larger → RESOURCE_EXHAUSTED from gRPC. */
  maxMessageBytes?: number;
  logger: Logger;
  /** Default: the cache's own metrics. */
  metrics?: CacheMetrics;
  /** PEM files of TLS (mTLS with clientCaFile), re-read on change; default plaintext. */
  tls?: ServerTlsOptions;
  /** Per-connection limits (max streams, connection age, keepalive); GRPC_SERVER_DEFAULTS. */
  transport?: ServerTransportOptions;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** Services reflection describes (all in DESCRIPTOR_SET_PATH). */
const REFLECTED_SERVICES = [SeniorityModelDefinition.fullName, CacheAdminServiceDefinition.fullName];

/**
 * The proxy's gRPC server: the model's exact contract (/SeniorityModel/InferSeniority), the admin
 * API (seniority.cache.v1.CacheAdminService), grpc.health.v1 and server reflection (v1 and v1alpha), all on one port.
 * Middleware, outermost first: tracing (one span per call), request metrics, error → status.
 */
export class CacheServer {
  private closed: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly health: HealthState,
    private readonly terminate: () => void,
    private readonly tls: ServerTls,
    readonly port: number,
    readonly host: string,
  ) {}

  static async start(options: CacheServerOptions): Promise<CacheServer> {
    const limits = { ...DEFAULT_REQUEST_LIMITS, ...options.limits };
    const terminator = createTerminator();
    const tls = createServerTls(options.tls, {
      onReload: (ok, message) =>
        ok ? options.logger.info(message) : options.logger.warn({ tls: "unreadable" }, message),
    });
    const server = createServer({
      ...serverChannelOptions(options.transport),
      "grpc.max_receive_message_length": options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    })
      .use(openTelemetryServerMiddleware())
      .use(createRequestMetricsMiddleware(options.metrics ?? options.cache.metrics))
      .use(createErrorMiddleware(options.logger))
      .use(terminator.middleware);
    const health = HealthState();
    server.add(StrictSeniorityModelDefinition, createInferService(options.cache, limits));
    server.add(CacheAdminServiceDefinition, createAdminService(options.cache, limits));
    server.add(HealthDefinition, HealthServiceImpl(health));
    addServerReflection(server, REFLECTED_SERVICES);
    const host = options.host ?? "0.0.0.0";
    let port: number;
    try {
      port = await server.listen(
        `${host.includes(":") ? `[${host}]` : host}:${options.port}`,
        tls.credentials,
      );
      await tls.ready();
    } catch (error) {
      tls.close();
      server.forceShutdown();
      throw error;
    }
    for (const name of REFLECTED_SERVICES) health.setStatus("healthy", name);
    return new CacheServer(server, health, terminator.terminate, tls, port, host);
  }

  /** Where a client on this machine reaches the server. */
  get address(): string {
    return `${this.host === "0.0.0.0" || this.host === "::" ? "127.0.0.1" : this.host}:${this.port}`;
  }

  /**
   * Idempotent graceful stop: health turns NOT_SERVING, new calls are refused, calls in progress
   * finish (health Watch streams are ended). Does not close the cache.
   */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.health.setStatus("unhealthy");
      for (const name of REFLECTED_SERVICES) this.health.setStatus("unhealthy", name);
      this.terminate();
      try {
        await this.server.shutdown();
      } finally {
        this.tls.close();
      }
    })();
    return this.closed;
  }
}
