import type { Option } from "commander";

/**
 * The Redis TLS and password flags every command that opens a Redis store shares (`cache`,
 * `export`/`import`, `retire`), each made by the command's own `flag` (its environment prefix).
 */
export function redisSecurityOptions(flag: (name: string, help: string) => Option): Option[] {
  return [
    flag("--redis-tls-ca <file>", "rediss://: PEM CA certificate(s) to verify Redis with"),
    flag("--redis-tls-cert <file>", "rediss://: PEM client certificate (with --redis-tls-key)"),
    flag("--redis-tls-key <file>", "rediss://: PEM private key of --redis-tls-cert"),
    flag(
      "--redis-password-file <file>",
      "file holding the Redis password (the ACL user goes in the URL: rediss://user@host:port)",
    ),
  ];
}
