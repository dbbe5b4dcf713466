import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { TlsFileError } from "./TlsFileError.js";

/** PEM files of one TLS party, each with the flag that named it (for the error messages). */
export interface TlsFileSet {
  cert?: { path: string; flag: string };
  key?: { path: string; flag: string };
  ca?: { path: string; flag: string };
}

/**
 * Reads and checks the files at start, so a wrong path or a bad file is one clear line instead
 * of a server that drops every handshake: readable, PEM, certificate within its validity
 * window (at `now`), key matching the certificate. Throws TlsFileError; never echoes contents.
 */
export function checkTlsFiles(files: TlsFileSet, now: Date = new Date()): void {
  if ((files.cert === undefined) !== (files.key === undefined)) {
    const given = files.cert ?? files.key;
    const missing = files.cert ? "key" : "certificate";
    throw new TlsFileError(`${given!.flag} needs its ${missing} too (set both the certificate and the key)`);
  }
  let certificate: X509Certificate | undefined;
  if (files.cert) {
    certificate = parseCertificate(files.cert.path, files.cert.flag);
    if (Date.parse(certificate.validTo) < now.getTime()) {
      throw new TlsFileError(
        `${files.cert.flag} ${files.cert.path}: the certificate expired on ${certificate.validTo}`,
      );
    }
    if (Date.parse(certificate.validFrom) > now.getTime()) {
      throw new TlsFileError(
        `${files.cert.flag} ${files.cert.path}: the certificate is not valid before ${certificate.validFrom}`,
      );
    }
  }
  if (files.key && certificate) {
    const key = parseKey(files.key.path, files.key.flag);
    if (!certificate.checkPrivateKey(key)) {
      throw new TlsFileError(
        `${files.key.flag} ${files.key.path} is not the private key of ${files.cert!.flag} ${files.cert!.path}`,
      );
    }
  }
  if (files.ca) parseCertificate(files.ca.path, files.ca.flag);
}

function read(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new TlsFileError(
      `${flag} ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
}

function parseCertificate(path: string, flag: string): X509Certificate {
  try {
    return new X509Certificate(read(path, flag));
  } catch (error) {
    if (error instanceof TlsFileError) throw error;
    throw new TlsFileError(`${flag} ${path} is not a PEM certificate`);
  }
}

function parseKey(path: string, flag: string): KeyObject {
  try {
    return createPrivateKey(read(path, flag));
  } catch (error) {
    if (error instanceof TlsFileError) throw error;
    // Not the library's message: it could quote part of the file.
    throw new TlsFileError(`${flag} ${path} is not a PEM private key`);
  }
}
