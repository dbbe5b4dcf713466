import type { Logger } from "@seniority/telemetry";
import type { AugmentFlags } from "./AugmentFlags.js";
import type { CheckedAugmentFlags } from "./checkAugmentFlags.js";
import type { AugmentStores } from "./openAugmentStores.js";
import type { Closers } from "./Closers.js";
import { leaseScope } from "../leases/LeaseKeys.js";
import { RedisFileLeases } from "../leases/RedisFileLeases.js";

/**
 * The leases of --leases (shared by the replicas of one input and output), closed by `closers`;
 * undefined without the flag (a single replica).
 */
export function openLeases(
  flags: AugmentFlags,
  stores: AugmentStores,
  checked: CheckedAugmentFlags,
  logger: Logger,
  closers: Closers,
): RedisFileLeases | undefined {
  if (flags.leases === undefined) return undefined;
  const leases = RedisFileLeases.open(flags.leases, {
    scope: leaseScope(stores.input.location, stores.output.location),
    ttlMs: flags.leaseTtl,
    security: checked.redisSecurity,
    logger,
  });
  closers.add(() => leases.close());
  return leases;
}
