import type { Clock } from "@seniority/clock";
import { ModelPacer } from "./ModelPacer.js";
import type { Pacer } from "./Pacer.js";
import type { SeniorityCacheOptions } from "./SeniorityCacheOptions.js";
import { SharedModelPacer } from "./SharedModelPacer.js";
import type { ReplicaCoordination } from "./store/ReplicaCoordination.js";

/**
 * The cache's pacer: with replicas on one Redis, this replica's own pace plus the shared one
 * (SharedModelPacer); otherwise, or with sharedPacing false or an infinite capacity, its own only.
 */
export function createPacer(
  options: SeniorityCacheOptions,
  coordination: ReplicaCoordination | undefined,
  clock: Clock,
): Pacer {
  const itemsPerSecond = options.modelCapacity ?? 1000;
  if (!coordination || options.sharedPacing === false || !Number.isFinite(itemsPerSecond)) {
    return new ModelPacer({ itemsPerSecond, clock, marginMs: options.paceMarginMs });
  }
  return new SharedModelPacer({
    itemsPerSecond,
    coordination,
    replicasHint: options.replicasHint,
    marginMs: options.paceMarginMs,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
