import type { Clock } from "@seniority/clock";
import { ModelPacer } from "./ModelPacer.js";
import type { Pacer } from "./Pacer.js";
import type { SeniorityCacheOptions } from "./SeniorityCacheOptions.js";
import { SharedModelPacer } from "./SharedModelPacer.js";
import type { ReplicaCoordination } from "./store/ReplicaCoordination.js";

/**
 * Default lead of the pacer, ms: a model call's overhead on one machine or a LAN (gRPC round trip,
 * encode/decode, our timer and event-loop delays) is a few ms to ~20 ms under load; 25 covers it.
 */
export const DEFAULT_PACE_LEAD_MS = 25;

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
  const leadMs = options.paceLeadMs ?? DEFAULT_PACE_LEAD_MS;
  if (!coordination || options.sharedPacing === false || !Number.isFinite(itemsPerSecond)) {
    return new ModelPacer({ itemsPerSecond, clock, marginMs: options.paceMarginMs, leadMs });
  }
  return new SharedModelPacer({
    itemsPerSecond,
    coordination,
    replicasHint: options.replicasHint,
    marginMs: options.paceMarginMs,
    leadMs,
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
