import { experimental, ServerCredentials } from "@grpc/grpc-js";
import { checkTlsFiles } from "./checkTlsFiles.js";
import { TlsFileError } from "./TlsFileError.js";

/** Default period at which the certificate files are re-read, ms. */
export const DEFAULT_TLS_REFRESH_MS = 10_000;

/** The PEM files of a gRPC server's TLS (flags --tls-cert, --tls-key, --tls-client-ca). */
export interface ServerTlsOptions {
  certFile: string;
  keyFile: string;
  /** When set, mTLS: every client must present a certificate this CA signed. */
  clientCaFile?: string;
  /** Re-read period of the files, ms (default DEFAULT_TLS_REFRESH_MS). */
  refreshIntervalMs?: number;
}

/** Credentials for `server.listen(address, credentials)`, and their file watcher. */
export interface ServerTls {
  readonly credentials: ServerCredentials;
  readonly secure: boolean;
  /** Resolves once the files are loaded (the server accepts handshakes from then on). */
  ready(): Promise<void>;
  /** Idempotent: stops re-reading the files. */
  close(): void;
}

/**
 * TLS (or mTLS) server credentials from PEM files, or plaintext when `options` is undefined.
 * The files are checked at once (TlsFileError naming the flag), then watched by grpc-js's own
 * FileWatcherCertificateProvider: each re-read swaps the server's secure context
 * (http2 `setSecureContext`), so a rotated secret serves new handshakes while open connections
 * and their calls carry on untouched. A Kubernetes secret swaps all files at once (`..data`
 * symlink), so a re-read never sees a certificate without its key.
 */
export function createServerTls(
  options: ServerTlsOptions | undefined,
  hooks: {
    /**
     * Called when a re-read fails (files missing mid-rotation), and again when they read well
     * (`ok`): until then grpc-js refuses new handshakes, open connections carry on.
     */
    onReload?: (ok: boolean, message: string) => void;
  } = {},
): ServerTls {
  if (!options) {
    return {
      credentials: ServerCredentials.createInsecure(),
      secure: false,
      ready: () => Promise.resolve(),
      close: () => {},
    };
  }
  checkTlsFiles({
    cert: { path: options.certFile, flag: "--tls-cert" },
    key: { path: options.keyFile, flag: "--tls-key" },
    ...(options.clientCaFile ? { ca: { path: options.clientCaFile, flag: "--tls-client-ca" } } : {}),
  });
  const provider = new experimental.FileWatcherCertificateProvider({
    certificateFile: options.certFile,
    privateKeyFile: options.keyFile,
    ...(options.clientCaFile ? { caCertificateFile: options.clientCaFile } : {}),
    refreshIntervalMs: options.refreshIntervalMs ?? DEFAULT_TLS_REFRESH_MS,
  });
  const mutual = options.clientCaFile !== undefined;
  // grpc-js names the parameters the other way round; the first is the identity provider.
  const credentials = experimental.createCertificateProviderServerCredentials(
    provider,
    mutual ? provider : null,
    mutual,
  );
  // Our own listener holds the watcher open (and tells when the first read is in) until close().
  let onLoaded: (error?: Error) => void = () => {};
  const loaded = new Promise<void>((resolve, reject) => {
    onLoaded = (error) => (error ? reject(error) : resolve());
  });
  loaded.catch(() => {});
  const unreadable = `--tls-cert ${options.certFile} or --tls-key ${options.keyFile} could not be read`;
  let readable = true;
  const listener = (update: experimental.IdentityCertificateUpdate | null): void => {
    onLoaded(update ? undefined : new TlsFileError(unreadable));
    if ((update !== null) === readable) return;
    readable = update !== null;
    hooks.onReload?.(
      readable,
      readable
        ? "TLS files readable again: new connections are accepted"
        : `${unreadable}: new connections are refused until they are back (open ones carry on)`,
    );
  };
  provider.addIdentityCertificateListener(listener);
  let closed = false;
  return {
    credentials,
    secure: true,
    ready: () => loaded,
    close: () => {
      if (closed) return;
      closed = true;
      provider.removeIdentityCertificateListener(listener);
    },
  };
}
