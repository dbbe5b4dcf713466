/**
 * How a client dials a TLS server (flags `--<peer>-tls-ca`, `--<peer>-tls-cert`,
 * `--<peer>-tls-key`, `--<peer>-tls-server-name`). Any field set, or an https:// address,
 * means TLS; cert and key together mean mTLS.
 */
export interface ClientTlsOptions {
  /** PEM CA that signed the server's certificate (default: the system's roots). */
  caFile?: string;
  /** PEM client certificate and its key, for servers that require mTLS. */
  certFile?: string;
  keyFile?: string;
  /** Name the server's certificate must carry when it differs from the dialled host. */
  serverName?: string;
  /** Re-read period of the CA and client certificate files, ms (default 10,000). */
  refreshIntervalMs?: number;
  /** Flag prefix used in error messages, e.g. "--model" or "--proxy" (default "--peer"). */
  flagPrefix?: string;
}

/** Whether `tls` asks for TLS: any of its CA, certificate, key or server name set. */
export function setsTls(tls: ClientTlsOptions): boolean {
  return (
    tls.caFile !== undefined ||
    tls.certFile !== undefined ||
    tls.keyFile !== undefined ||
    tls.serverName !== undefined
  );
}
