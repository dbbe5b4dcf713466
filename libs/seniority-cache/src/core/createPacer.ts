import type { Clock } from "@seniority/clock";
import { ModelPacer } from "./ModelPacer.js";
import type { Pacer } from "./Pacer.js";
import type { ReplicaPresence } from "../replicas/ReplicaPresence.js";
import type { SeniorityCacheOptions } from "./SeniorityCacheOptions.js";
import { SharedModelPacer } from "../replicas/SharedModelPacer.js";
import type { ReplicaCoordination } from "../replicas/ReplicaCoordination.js";

/**
 * Default lead of the pacer, ms: a model call's overhead on one machine or a LAN (gRPC round trip,
 * encode/decode, our timer and event-loop delays) is a few ms to ~20 ms under load; 25 covers it.
 */
export const DEFAULT_PACE_LEAD_MS = 25;

/**
 * Default margin of the pacing window, ms, one replica's and the shared one alike. Both count each
 * batch at the latest moment it can have reached the model (ModelPacer, paceScript), so jitter
 * needs no slack; this covers only the model's and our timers (a few ms) and a model serving up
 * to 1% faster than its stated capacity. (The shared window used to count sends and needed 60 ms,
 * and still let 1,882 items into one second on a starved machine.)
 */
export const DEFAULT_PACE_MARGIN_MS = 10;

/**
 * The cache's pacer: with replicas on one Redis, this replica's own pace plus the shared one
 * (SharedModelPacer); otherwise, or with sharedPacing false or an infinite capacity, its own only.
 */
export function createPacer(
  options: SeniorityCacheOptions,
  coordination: ReplicaCoordination | undefined,
  clock: Clock,
  presence?: ReplicaPresence,
): Pacer {
  const itemsPerSecond = options.modelCapacity ?? 1000;
  const leadMs = options.paceLeadMs ?? DEFAULT_PACE_LEAD_MS;
  if (!coordination || options.sharedPacing === false || !Number.isFinite(itemsPerSecond)) {
    const marginMs = options.paceMarginMs ?? DEFAULT_PACE_MARGIN_MS;
    return new ModelPacer({ itemsPerSecond, clock, marginMs, leadMs });
  }
  const marginMs = options.paceMarginMs ?? DEFAULT_PACE_MARGIN_MS;
  return new SharedModelPacer({
    itemsPerSecond,
    coordination,
    replicasHint: options.replicasHint,
    ...(presence ? { presence } : {}),
    marginMs,
    leadMs,
    ...(options.pendingSendMs !== undefined ? { pendingSendMs: options.pendingSendMs } : {}),
    clock,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
