import { Option, type Command } from "commander";
import { checkTlsFiles, GRPC_SERVER_DEFAULTS } from "@seniority/proto";
import { integer } from "./parsers.js";

/** The parsed flags added by addGrpcServerFlags (camelCase, as commander names them). */
export interface GrpcServerFlags {
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
  tlsRefreshMs: number;
  maxConcurrentStreams: number;
  maxConnectionAgeMs: number;
  maxConnectionAgeGraceMs: number;
  keepaliveTimeMs: number;
  keepaliveTimeoutMs: number;
}

/** What a server is started with: TLS files (absent = plaintext) and grpc-js server options. */
export interface GrpcServerSettings {
  tls?: { certFile: string; keyFile: string; clientCaFile?: string; refreshIntervalMs: number };
  transport: {
    maxConcurrentStreams: number;
    maxConnectionAgeMs: number;
    maxConnectionAgeGraceMs: number;
    keepaliveTimeMs: number;
    keepaliveTimeoutMs: number;
  };
}

/**
 * Adds the TLS flags (--tls-cert, --tls-key, --tls-client-ca, --tls-refresh-ms) and the
 * per-connection limits to a command that serves gRPC; each also reads `<envPrefix>_<FLAG>`.
 */
export function addGrpcServerFlags(command: Command, envPrefix: string): Command {
  const flag = (name: string, help: string): Option =>
    new Option(name, help).env(
      `${envPrefix}_${name.slice(2).split(" ")[0]!.replaceAll("-", "_").toUpperCase()}`,
    );
  const d = GRPC_SERVER_DEFAULTS;
  return command
    .addOption(
      flag("--tls-cert <file>", "PEM certificate (chain) of the gRPC server: serve TLS (with --tls-key)"),
    )
    .addOption(flag("--tls-key <file>", "PEM private key of --tls-cert"))
    .addOption(
      flag("--tls-client-ca <file>", "PEM CA: require and verify client certificates it signed (mTLS)"),
    )
    .addOption(
      flag("--tls-refresh-ms <ms>", "re-read the TLS files this often (rotation keeps open connections)")
        .argParser(integer(100, 86_400_000))
        .default(10_000, "10000 ms"),
    )
    .addOption(
      flag("--max-concurrent-streams <n>", "calls at once on one connection (more wait in the client)")
        .argParser(integer(1, 2 ** 31 - 1))
        .default(d.maxConcurrentStreams, `${d.maxConcurrentStreams} calls`),
    )
    .addOption(
      flag(
        "--max-connection-age-ms <ms>",
        "close a connection this old (GOAWAY: clients reconnect, rebalance)",
      )
        .argParser(integer(1000))
        .default(d.maxConnectionAgeMs, `${d.maxConnectionAgeMs} ms (30 min)`),
    )
    .addOption(
      flag("--max-connection-age-grace-ms <ms>", "calls on an aged connection may finish within this long")
        .argParser(integer(0))
        .default(d.maxConnectionAgeGraceMs, `${d.maxConnectionAgeGraceMs} ms (10 min)`),
    )
    .addOption(
      flag("--keepalive-time-ms <ms>", "ping a connection silent this long")
        .argParser(integer(1000))
        .default(d.keepaliveTimeMs, `${d.keepaliveTimeMs} ms (5 min)`),
    )
    .addOption(
      flag("--keepalive-timeout-ms <ms>", "close a connection whose ping is not answered within this long")
        .argParser(integer(100))
        .default(d.keepaliveTimeoutMs, `${d.keepaliveTimeoutMs} ms`),
    );
}

/**
 * The server settings of parsed flags. Throws (a usage error, one line naming the flag) when only
 * one of cert/key is set, or a file is unreadable, not PEM, expired or the key does not match.
 */
export function grpcServerSettings(flags: GrpcServerFlags): GrpcServerSettings {
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
    throw new Error(flags.tlsCert ? "--tls-cert needs --tls-key" : "--tls-key needs --tls-cert");
  }
  if (flags.tlsClientCa !== undefined && flags.tlsCert === undefined) {
    throw new Error("--tls-client-ca needs --tls-cert and --tls-key (mTLS is TLS first)");
  }
  if (flags.tlsCert && flags.tlsKey) {
    checkTlsFiles({
      cert: { path: flags.tlsCert, flag: "--tls-cert" },
      key: { path: flags.tlsKey, flag: "--tls-key" },
      ...(flags.tlsClientCa ? { ca: { path: flags.tlsClientCa, flag: "--tls-client-ca" } } : {}),
    });
  }
  return {
    ...(flags.tlsCert && flags.tlsKey
      ? {
          tls: {
            certFile: flags.tlsCert,
            keyFile: flags.tlsKey,
            ...(flags.tlsClientCa ? { clientCaFile: flags.tlsClientCa } : {}),
            refreshIntervalMs: flags.tlsRefreshMs,
          },
        }
      : {}),
    transport: {
      maxConcurrentStreams: flags.maxConcurrentStreams,
      maxConnectionAgeMs: flags.maxConnectionAgeMs,
      maxConnectionAgeGraceMs: flags.maxConnectionAgeGraceMs,
      keepaliveTimeMs: flags.keepaliveTimeMs,
      keepaliveTimeoutMs: flags.keepaliveTimeoutMs,
    },
  };
}
