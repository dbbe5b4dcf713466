import { readFileSync } from "node:fs";
import { ChannelCredentials, experimental, type ChannelOptions } from "@grpc/grpc-js";
import { setsTls, type ClientTlsOptions } from "./ClientTlsOptions.js";
import { checkTlsFiles } from "./checkTlsFiles.js";
import { DEFAULT_TLS_REFRESH_MS } from "./createServerTls.js";

/** What nice-grpc's `createChannel(address, credentials, options)` takes for one peer. */
export interface DialTarget {
  /** host:port (https:// removed; dns:/// kept: grpc-js resolves it). */
  address: string;
  credentials: ChannelCredentials;
  channelOptions: ChannelOptions;
  secure: boolean;
}

const HTTPS = /^https:\/\//i;

/**
 * Calls spread over every address the target resolves to (a `dns:///` name of a headless Service:
 * one address a pod), instead of grpc-js's default pick_first, which pins one connection. With one
 * address it is the same as pick_first. Servers bound the connection age (GOAWAY after
 * --max-connection-age-ms), so clients re-resolve and find new pods.
 */
export const ROUND_ROBIN: ChannelOptions = Object.freeze({
  "grpc.service_config": JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
});

/**
 * The channel settings of one client of a gRPC peer ("host:port", "https://host:port" or
 * "dns:///host:port"), round-robin over its addresses (ROUND_ROBIN), reused by
 * every client that dials (model client, augmenter, admin, peers). With a CA file the CA and the
 * client certificate are watched by grpc-js's FileWatcherCertificateProvider, so rotated secrets
 * reach new connections; without one the system roots are used and a client certificate is read
 * once. Files are checked at once (TlsFileError naming the flag).
 */
export function dialTarget(target: string, tls: ClientTlsOptions = {}): DialTarget {
  const address = target.replace(HTTPS, "");
  const secure = HTTPS.test(target) || setsTls(tls);
  if (!secure)
    return { address, credentials: ChannelCredentials.createInsecure(), channelOptions: ROUND_ROBIN, secure };
  const prefix = tls.flagPrefix ?? "--peer";
  checkTlsFiles({
    ...(tls.certFile ? { cert: { path: tls.certFile, flag: `${prefix}-tls-cert` } } : {}),
    ...(tls.keyFile ? { key: { path: tls.keyFile, flag: `${prefix}-tls-key` } } : {}),
    ...(tls.caFile ? { ca: { path: tls.caFile, flag: `${prefix}-tls-ca` } } : {}),
  });
  const channelOptions: ChannelOptions = tls.serverName
    ? {
        ...ROUND_ROBIN,
        "grpc.ssl_target_name_override": tls.serverName,
        "grpc.default_authority": tls.serverName,
      }
    : ROUND_ROBIN;
  return { address, credentials: credentialsFor(tls), channelOptions, secure };
}

function credentialsFor(tls: ClientTlsOptions): ChannelCredentials {
  if (tls.caFile === undefined) {
    // Read once (no CA provider to pair a watcher with: grpc-js's provider credentials need one).
    return ChannelCredentials.createSsl(
      null,
      tls.keyFile ? readFileSync(tls.keyFile) : null,
      tls.certFile ? readFileSync(tls.certFile) : null,
    );
  }
  const provider = new experimental.FileWatcherCertificateProvider({
    caCertificateFile: tls.caFile,
    ...(tls.certFile && tls.keyFile ? { certificateFile: tls.certFile, privateKeyFile: tls.keyFile } : {}),
    refreshIntervalMs: tls.refreshIntervalMs ?? DEFAULT_TLS_REFRESH_MS,
  });
  return experimental.createCertificateProviderChannelCredentials(
    provider,
    tls.certFile && tls.keyFile ? provider : null,
  );
}
