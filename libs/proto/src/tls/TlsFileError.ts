/**
 * A TLS file given by a flag cannot be used (unreadable, not PEM, expired, key not matching).
 * The message names the flag and the path, never the file's contents (a private key is a secret).
 */
export class TlsFileError extends Error {
  override readonly name = "TlsFileError";
}
