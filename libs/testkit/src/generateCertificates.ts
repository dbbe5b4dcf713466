import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** PEM files made by generateCertificates: a private CA, a server and a client it signed. */
export interface GeneratedCertificates {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing here: trusting it instead must fail the handshake. */
  otherCa: string;
}

/**
 * Generates, with the system's openssl, a throw-away CA and a server certificate for 127.0.0.1 /
 * localhost and a client certificate it signed (EC P-256, valid 2 days), all in `dir`. Used for
 * Redis TLS here; the gRPC TLS tests of issue 13 have their own helper (TestCertificates), and this
 * one can be swapped for it (same shape: files on disk).
 */
export function generateCertificates(dir: string): GeneratedCertificates {
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  };
  const ca = (name: string): void => {
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", path(`${name}.key`));
    openssl(
      "req",
      "-x509",
      "-new",
      "-key",
      path(`${name}.key`),
      "-sha256",
      "-days",
      "2",
      "-subj",
      `/CN=seniority test ${name}`,
      "-out",
      path(`${name}.pem`),
    );
  };
  const leaf = (name: string, subject: string, extensions: string): void => {
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", path(`${name}.key`));
    openssl("req", "-new", "-key", path(`${name}.key`), "-subj", subject, "-out", path(`${name}.csr`));
    writeFileSync(path(`${name}.ext`), extensions);
    openssl(
      "x509",
      "-req",
      "-in",
      path(`${name}.csr`),
      "-CA",
      path("ca.pem"),
      "-CAkey",
      path("ca.key"),
      "-CAcreateserial",
      "-days",
      "2",
      "-sha256",
      "-extfile",
      path(`${name}.ext`),
      "-out",
      path(`${name}.pem`),
    );
  };
  ca("ca");
  ca("other-ca");
  leaf(
    "server",
    "/CN=127.0.0.1",
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n",
  );
  leaf("client", "/CN=seniority-client", "extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n");
  return {
    ca: path("ca.pem"),
    serverCert: path("server.pem"),
    serverKey: path("server.key"),
    clientCert: path("client.pem"),
    clientKey: path("client.key"),
    otherCa: path("other-ca.pem"),
  };
}
