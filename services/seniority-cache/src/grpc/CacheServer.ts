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
import type { ServerCredentials } from "@grpc/grpc-js";
import { createServer, type Server } from "nice-grpc";
import { openTelemetryServerMiddleware } from "nice-grpc-opentelemetry";
import { HealthDefinition, HealthServiceImpl, HealthState } from "nice-grpc-server-health";
import type { CacheMetrics } from "@seniority/seniority-cache";
import { createAdminAuthMiddleware } from "./adminAuthMiddleware.js";
import type { AdminToken } from "./AdminToken.js";
import { createAdminService } from "./createAdminService.js";
import { createErrorMiddleware } from "./errorMiddleware.js";
import { createInferService } from "./createInferService.js";
import { createRequestMetricsMiddleware } from "./requestMetricsMiddleware.js";
import { createTerminator } from "./createTerminator.js";
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from "./RequestLimits.js";
import type { SeniorityCache } from "@seniority/seniority-cache";

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
  /** The admin listener; undefined: Lookup and Invalidate are served nowhere. */
  admin?: AdminListenerOptions;
}

/** The admin API on a listener of its own (never in the Kubernetes Service). */
export interface AdminListenerOptions {
  /** 0 picks a free port (see `adminPort` after start). */
  port: number;
  /** Default "127.0.0.1": reachable from inside the pod (and `kubectl port-forward`) only. */
  host?: string;
  /** Every call must present it as `authorization: Bearer <token>`. */
  token: AdminToken;
  /** Default insecure; server TLS (and mTLS) credentials plug in here. */
  credentials?: ServerCredentials;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** Services reflection describes on the public port (all in DESCRIPTOR_SET_PATH). */
const REFLECTED_SERVICES = [SeniorityModelDefinition.fullName, CacheAdminServiceDefinition.fullName];

/**
 * The public port serves only the read-only GetStats of the admin service (counters and the cache
 * namespace, which the augmenter reads at start): Lookup and Invalidate are UNIMPLEMENTED there.
 */
const PUBLIC_ADMIN_DEFINITION = {
  ...CacheAdminServiceDefinition,
  methods: { getStats: CacheAdminServiceDefinition.methods.getStats },
} as const;

/**
 * The proxy's gRPC server. Public port: the model's exact contract (/SeniorityModel/InferSeniority),
 * GetStats of seniority.cache.v1.CacheAdminService, grpc.health.v1 and server reflection (v1 and
 * v1alpha). Admin listener (when `admin` is given): the whole CacheAdminService (Lookup, Invalidate,
 * GetStats), every call behind the bearer token. Middleware, outermost first: tracing (one span per
 * call), request metrics, error → status (then, on the admin listener, the token check).
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
    private readonly adminServer: Server | undefined,
    /** The admin listener's port; undefined when there is none. */
    readonly adminPort: number | undefined,
    private readonly adminHost: string,
  ) {}

  static async start(options: CacheServerOptions): Promise<CacheServer> {
    const limits = { ...DEFAULT_REQUEST_LIMITS, ...options.limits };
    const terminator = createTerminator();
    const tls = createServerTls(options.tls, {
      onReload: (ok, message) =>
        ok ? options.logger.info(message) : options.logger.warn({ tls: "unreadable" }, message),
    });
    const serverWith = () =>
      createServer({
        ...serverChannelOptions(options.transport),
        "grpc.max_receive_message_length": options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
      })
        .use(openTelemetryServerMiddleware())
        .use(createRequestMetricsMiddleware(options.metrics ?? options.cache.metrics))
        .use(createErrorMiddleware(options.logger));
    const server = serverWith().use(terminator.middleware);
    const health = HealthState();
    const admin = createAdminService(options.cache, limits);
    server.add(StrictSeniorityModelDefinition, createInferService(options.cache, limits));
    server.add(PUBLIC_ADMIN_DEFINITION, { getStats: admin.getStats });
    server.add(HealthDefinition, HealthServiceImpl(health));
    addServerReflection(server, REFLECTED_SERVICES);
    const host = options.host ?? "0.0.0.0";
    let port: number;
    let adminServer: Server | undefined;
    let adminPort: number | undefined;
    try {
      port = await server.listen(listenAddress(host, options.port), tls.credentials);
      await tls.ready();
      if (options.admin) {
        adminServer = serverWith()
          .use(createAdminAuthMiddleware(options.admin.token, options.logger))
          .use(terminator.middleware);
        adminServer.add(CacheAdminServiceDefinition, admin);
        // The public port's TLS (and mTLS) unless told otherwise: the token rides encrypted.
        adminPort = await adminServer
          .listen(
            listenAddress(options.admin.host ?? "127.0.0.1", options.admin.port),
            options.admin.credentials ?? tls.credentials,
          )
          .catch((error: unknown) => {
            throw new Error(`admin listener: ${(error as Error).message}`, { cause: error });
          });
      }
    } catch (error) {
      tls.close();
      server.forceShutdown();
      adminServer?.forceShutdown();
      throw error;
    }
    for (const name of REFLECTED_SERVICES) health.setStatus("healthy", name);
    const adminHost = options.admin?.host ?? "127.0.0.1";
    return new CacheServer(
      server,
      health,
      terminator.terminate,
      tls,
      port,
      host,
      adminServer,
      adminPort,
      adminHost,
    );
  }

  /** Where a client on this machine reaches the server. */
  get address(): string {
    return `${localHost(this.host)}:${this.port}`;
  }

  /** Where a client on this machine reaches the admin listener; undefined when there is none. */
  get adminAddress(): string | undefined {
    return this.adminPort === undefined ? undefined : `${localHost(this.adminHost)}:${this.adminPort}`;
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
        await Promise.all([this.server.shutdown(), this.adminServer?.shutdown()]);
      } finally {
        this.tls.close();
      }
    })();
    return this.closed;
  }
}

function listenAddress(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

function localHost(host: string): string {
  return host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
}
