import { Option } from "commander";
import { leasesUrl, leaseTtl } from "../leases/leaseArgs.js";
import { DEFAULT_LEASE_TTL_MS } from "../leases/RedisFileLeases.js";

/** `augment`'s flags for sharing files between replicas (--leases) and reaching Redis securely. */
export function leaseOptions(): Option[] {
  return [
    new Option("--leases <url>", "share files with other replicas through leases in Redis (default: none)")
      .env("SENIORITY_LEASES")
      .argParser(leasesUrl),
    new Option(
      "--redis-tls-ca <file>",
      "rediss:// (--leases, --store): PEM CA certificate(s) to verify Redis with",
    ).env("SENIORITY_REDIS_TLS_CA"),
    new Option("--redis-tls-cert <file>", "rediss://: PEM client certificate (with --redis-tls-key)").env(
      "SENIORITY_REDIS_TLS_CERT",
    ),
    new Option("--redis-tls-key <file>", "rediss://: PEM private key of --redis-tls-cert").env(
      "SENIORITY_REDIS_TLS_KEY",
    ),
    new Option(
      "--redis-password-file <file>",
      "file holding the Redis password of --leases and --store (the ACL user goes in the URL)",
    ).env("SENIORITY_REDIS_PASSWORD_FILE"),
    new Option("--lease-ttl <duration>", "a dead replica's file is taken over this long after it stopped")
      .env("SENIORITY_LEASE_TTL")
      .argParser(leaseTtl)
      .default(DEFAULT_LEASE_TTL_MS, "30s"),
  ];
}
