import { execFileSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** PEM files of one certificate: its key and the certificate itself (paths). */
export interface CertificateFiles {
  cert: string;
  key: string;
}

export interface IssueOptions {
  /** Subject CN (default: the name). */
  commonName?: string;
  /** DNS names and IPs in subjectAltName (default: localhost and 127.0.0.1). */
  altNames?: readonly string[];
  /** "server" (default) or "client" extended key usage. */
  usage?: "server" | "client";
  /** Validity window; default now - 1 day … now + 30 days. */
  notBefore?: Date;
  notAfter?: Date;
}

/**
 * Real certificates for TLS tests, made by the `openssl` CLI (Debian's openssl 3) in a temp dir:
 * certificate authorities, server and client certificates signed by them (valid, expired or for
 * another name), and a Kubernetes-style secret dir whose files are swapped via a `..data` symlink,
 * the way a kubelet rotates a mounted secret. `close()` removes every file.
 */
export class TestCertificates {
  readonly dir: string;
  private serial = 1;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "seniority-tls-"));
  }

  /** A self-signed CA `name` (files name-ca.pem / name-ca.key). */
  authority(name: string): CertificateFiles {
    const files = { cert: join(this.dir, `${name}-ca.pem`), key: join(this.dir, `${name}-ca.key`) };
    this.openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", files.key]);
    this.openssl([
      "req",
      "-x509",
      "-new",
      "-key",
      files.key,
      "-subj",
      `/CN=${name} test CA`,
      "-days",
      "30",
      "-out",
      files.cert,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    return files;
  }

  /** A certificate `name` signed by `ca` (files name.pem / name.key). */
  issue(name: string, ca: CertificateFiles, options: IssueOptions = {}): CertificateFiles {
    const files = { cert: join(this.dir, `${name}.pem`), key: join(this.dir, `${name}.key`) };
    const csr = join(this.dir, `${name}.csr`);
    this.openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", files.key]);
    this.openssl([
      "req",
      "-new",
      "-key",
      files.key,
      "-subj",
      `/CN=${options.commonName ?? name}`,
      "-out",
      csr,
    ]);
    const altNames = (options.altNames ?? ["localhost", "127.0.0.1"])
      .map((alt) => (/^[\d.]+$|:/.test(alt) ? `IP:${alt}` : `DNS:${alt}`))
      .join(",");
    const extensions = join(this.dir, `${name}.ext`);
    writeFileSync(
      extensions,
      [
        "basicConstraints=CA:FALSE",
        "keyUsage=critical,digitalSignature,keyEncipherment",
        `extendedKeyUsage=${options.usage === "client" ? "clientAuth" : "serverAuth"}`,
        `subjectAltName=${altNames}`,
        "",
      ].join("\n"),
    );
    // `openssl ca` is the one openssl 3.0 verb that takes explicit start and end dates.
    const caDir = join(this.dir, `${name}.ca`);
    mkdirSync(caDir, { recursive: true });
    writeFileSync(join(caDir, "index.txt"), "");
    writeFileSync(join(caDir, "serial"), `${(this.serial++).toString(16).padStart(4, "0")}\n`);
    const config = join(caDir, "ca.cnf");
    writeFileSync(
      config,
      [
        "[ca]",
        "default_ca = test",
        "[test]",
        `database = ${join(caDir, "index.txt")}`,
        `new_certs_dir = ${caDir}`,
        `serial = ${join(caDir, "serial")}`,
        "default_md = sha256",
        "policy = anything",
        "unique_subject = no",
        "copy_extensions = none",
        "[anything]",
        "commonName = supplied",
        "",
      ].join("\n"),
    );
    const day = 86_400_000;
    const notBefore = options.notBefore ?? new Date(Date.now() - day);
    const notAfter = options.notAfter ?? new Date(Date.now() + 30 * day);
    this.openssl([
      "ca",
      "-batch",
      "-notext",
      "-config",
      config,
      "-cert",
      ca.cert,
      "-keyfile",
      ca.key,
      "-in",
      csr,
      "-out",
      files.cert,
      "-extfile",
      extensions,
      "-startdate",
      asn1Time(notBefore),
      "-enddate",
      asn1Time(notAfter),
    ]);
    return files;
  }

  /**
   * A dir laid out like a mounted Kubernetes secret: `tls.crt`, `tls.key` (and `ca.crt` when
   * given) are symlinks to `..data/…`, and `..data` links to a timestamped dir. Returns the paths
   * a server is configured with.
   */
  secretDir(
    name: string,
    files: CertificateFiles,
    ca?: CertificateFiles,
  ): { cert: string; key: string; ca: string } {
    const root = join(this.dir, name);
    mkdirSync(root, { recursive: true });
    this.swapSecret(root, files, ca);
    for (const file of ["tls.crt", "tls.key", "ca.crt"]) symlinkSync(join("..data", file), join(root, file));
    return { cert: join(root, "tls.crt"), key: join(root, "tls.key"), ca: join(root, "ca.crt") };
  }

  /** Rotates a secretDir atomically, as the kubelet does: new timestamped dir, rename of `..data`. */
  rotateSecret(secretRoot: string, files: CertificateFiles, ca?: CertificateFiles): void {
    this.swapSecret(secretRoot, files, ca);
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private swapSecret(root: string, files: CertificateFiles, ca?: CertificateFiles): void {
    const version = `..${Date.now()}.${this.serial++}`;
    const versionDir = join(root, version);
    mkdirSync(versionDir);
    writeFileSync(join(versionDir, "tls.crt"), readFileSync(files.cert));
    writeFileSync(join(versionDir, "tls.key"), readFileSync(files.key));
    if (ca) writeFileSync(join(versionDir, "ca.crt"), readFileSync(ca.cert));
    const link = join(root, "..data_tmp");
    symlinkSync(version, link);
    renameSync(link, join(root, "..data"));
  }

  private openssl(args: string[]): void {
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  }
}

/** YYYYMMDDHHMMSSZ, the form `openssl ca -startdate/-enddate` takes. */
function asn1Time(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
}
