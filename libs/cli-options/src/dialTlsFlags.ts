import { checkTlsFiles } from "@seniority/proto";
import { Option, type Command } from "commander";

/** The TLS options of one dialled peer, as ClientTlsOptions of @seniority/proto takes them. */
export interface DialTlsSettings {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  serverName?: string;
  flagPrefix: string;
}

/**
 * Adds `--<peer>-tls-ca`, `--<peer>-tls-cert`, `--<peer>-tls-key`, `--<peer>-tls-server-name`
 * (e.g. peer "model" or "proxy") to a command that dials `--<peer>`; each also reads
 * `<envPrefix>_<PEER>_TLS_…`.
 */
export function addDialTlsFlags(command: Command, peer: string, envPrefix: string): Command {
  const flag = (suffix: string, value: string, help: string): Option =>
    new Option(`--${peer}-tls-${suffix} <${value}>`, help).env(
      `${envPrefix}_${peer.toUpperCase()}_TLS_${suffix.replaceAll("-", "_").toUpperCase()}`,
    );
  return command
    .addOption(flag("ca", "file", `PEM CA that signed the ${peer}'s certificate (dial with TLS)`))
    .addOption(flag("cert", "file", `PEM client certificate for the ${peer} (mTLS, with --${peer}-tls-key)`))
    .addOption(flag("key", "file", `PEM private key of --${peer}-tls-cert`))
    .addOption(
      flag("server-name", "name", `name the ${peer}'s certificate must carry, when not the dialled host`),
    );
}

/**
 * The peer's TLS settings out of parsed flags (commander's camelCase names). Throws (a usage
 * error naming the flag) for a cert without its key or a file that cannot be used.
 */
export function dialTlsSettings(flags: object, peer: string): DialTlsSettings {
  const camel = peer.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const values = flags as Record<string, unknown>;
  const pick = (suffix: string): string | undefined => {
    const value = values[`${camel}Tls${suffix}`];
    return typeof value === "string" ? value : undefined;
  };
  const caFile = pick("Ca");
  const certFile = pick("Cert");
  const keyFile = pick("Key");
  const serverName = pick("ServerName");
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new Error(
      certFile ? `--${peer}-tls-cert needs --${peer}-tls-key` : `--${peer}-tls-key needs --${peer}-tls-cert`,
    );
  }
  checkTlsFiles({
    ...(certFile ? { cert: { path: certFile, flag: `--${peer}-tls-cert` } } : {}),
    ...(keyFile ? { key: { path: keyFile, flag: `--${peer}-tls-key` } } : {}),
    ...(caFile ? { ca: { path: caFile, flag: `--${peer}-tls-ca` } } : {}),
  });
  return {
    ...(caFile ? { caFile } : {}),
    ...(certFile ? { certFile } : {}),
    ...(keyFile ? { keyFile } : {}),
    ...(serverName ? { serverName } : {}),
    flagPrefix: `--${peer}`,
  };
}
