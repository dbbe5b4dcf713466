import { createHash } from "node:crypto";

/**
 * Every Redis key name the augmenter's leases use is built here, and only here.
 *
 *   `<prefix>lease:<scope>:<input key>` → "<owner token>", expiring after the lease's time to live
 *
 * The scope is a hash of the job's input and output locations (see leaseScope), so the replicas of
 * one job share leases while jobs on other folders never block each other.
 */
export const DEFAULT_LEASE_KEY_PREFIX = "seniority:augmenter:";

/** 16 hex digits (64 bits) of SHA-256 over the input and output locations. */
export function leaseScope(inputLocation: string, outputLocation: string): string {
  return createHash("sha256").update(`${inputLocation}\n${outputLocation}`).digest("hex").slice(0, 16);
}

export class LeaseKeys {
  private readonly base: string;

  /**
   * @param prefix e.g. DEFAULT_LEASE_KEY_PREFIX
   * @param scope from leaseScope()
   */
  constructor(prefix: string, scope: string) {
    if (scope.length === 0) throw new Error("lease scope must not be empty");
    this.base = `${prefix}lease:${scope}:`;
  }

  /** The lease of one input file. */
  lease(key: string): string {
    return this.base + key;
  }
}
