import type { ChannelOptions } from "@grpc/grpc-js";

/** Per-connection limits of a gRPC server (flags in @seniority/cli-options addGrpcServerFlags). */
export interface ServerTransportOptions {
  /** Streams (calls) at once on one HTTP/2 connection; more wait in the client (default 100). */
  maxConcurrentStreams?: number;
  /** GOAWAY after this long, so clients reconnect and rebalance, ms (default 30 min). */
  maxConnectionAgeMs?: number;
  /** Calls in progress on an aged connection may finish within this long, ms (default 10 min). */
  maxConnectionAgeGraceMs?: number;
  /** Ping a connection silent this long, ms (default 5 min). */
  keepaliveTimeMs?: number;
  /** Close a connection whose ping is not answered within this long, ms (default 20 s). */
  keepaliveTimeoutMs?: number;
}

export const GRPC_SERVER_DEFAULTS: Required<ServerTransportOptions> = {
  maxConcurrentStreams: 100,
  maxConnectionAgeMs: 1_800_000,
  maxConnectionAgeGraceMs: 600_000,
  keepaliveTimeMs: 300_000,
  keepaliveTimeoutMs: 20_000,
};

/**
 * grpc-js server options for the limits (defaults filled in). grpc-js has no server-side ping
 * policing (`grpc.http2.min_ping_interval_without_data_ms` is C-core only); ping floods are
 * bounded by Node's HTTP/2 session (nghttp2 closes a session whose unanswered frames pile up).
 */
export function serverChannelOptions(options: ServerTransportOptions = {}): ChannelOptions {
  const limits = { ...GRPC_SERVER_DEFAULTS, ...options };
  return {
    "grpc.max_concurrent_streams": limits.maxConcurrentStreams,
    "grpc.max_connection_age_ms": limits.maxConnectionAgeMs,
    "grpc.max_connection_age_grace_ms": limits.maxConnectionAgeGraceMs,
    "grpc.keepalive_time_ms": limits.keepaliveTimeMs,
    "grpc.keepalive_timeout_ms": limits.keepaliveTimeoutMs,
  };
}
