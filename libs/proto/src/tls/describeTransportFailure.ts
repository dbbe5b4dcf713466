import { ClientError, Status } from "nice-grpc";

/**
 * The likely cause of a call that never reached the server, in one sentence naming the flags to
 * fix, read from grpc-js's UNAVAILABLE details (OpenSSL and Node TLS messages); undefined when the
 * failure is not a TLS setup problem. `peer.flag` is the dial flag, e.g. "--proxy" or "--model".
 */
export function describeTransportFailure(
  error: unknown,
  peer: { secure: boolean; flag: string },
): string | undefined {
  if (!(error instanceof ClientError) || error.code !== Status.UNAVAILABLE) return undefined;
  const details = error.details;
  const flag = peer.flag;
  if (!peer.secure) {
    // A TLS server drops a plaintext HTTP/2 preface during setup: grpc-js reports "Failed to connect".
    if (/Failed to connect|Connection dropped|Socket closed|ECONNRESET/i.test(details)) {
      return `TLS handshake failed / the server expects TLS: use https:// in ${flag} or ${flag}-tls-ca`;
    }
    return undefined;
  }
  if (/wrong version number|packet length too long|http request/i.test(details)) {
    return `the server does not speak TLS: drop https:// and ${flag}-tls-* or enable TLS on the server`;
  }
  if (/certificate required|handshake failure|alert bad certificate|unknown ca/i.test(details)) {
    return `the server refused this client's certificate (mTLS): check ${flag}-tls-cert and ${flag}-tls-key`;
  }
  if (/certificate has expired/i.test(details)) return "the server's TLS certificate has expired";
  if (/ALTNAME_INVALID|does not match certificate/i.test(details)) {
    return `the server's certificate is not for this host name: dial a name it carries or set ${flag}-tls-server-name`;
  }
  if (/unable to verify|self[- ]signed|unable to get (local )?issuer|certificate chain/i.test(details)) {
    return `the server's certificate is not signed by a trusted CA: check ${flag}-tls-ca`;
  }
  if (/Failed to connect|Connection dropped|Socket closed|ECONNRESET/i.test(details)) {
    return `the TLS handshake was refused by the server: if it requires mTLS, check ${flag}-tls-cert and ${flag}-tls-key (a CA it trusts, not expired)`;
  }
  return undefined;
}
