import { durationMs } from "@seniority/cli-options";
import { InvalidArgumentError } from "commander";
import { MIN_LEASE_TTL_MS, RedisFileLeases } from "./RedisFileLeases.js";

/** `--leases <url>`: redis:// or rediss://, returned as given. */
export function leasesUrl(value: string): string {
  try {
    RedisFileLeases.checkUrl(value.trim());
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value.trim();
}

/** `--lease-ttl <duration>`: a duration of at least MIN_LEASE_TTL_MS, in milliseconds. */
export function leaseTtl(value: string): number {
  const ms = durationMs(value);
  if (ms < MIN_LEASE_TTL_MS)
    throw new InvalidArgumentError(`expected a duration of at least ${MIN_LEASE_TTL_MS}ms, got "${value}".`);
  return ms;
}
