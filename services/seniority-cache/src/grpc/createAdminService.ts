import { CacheAdminServiceDefinition } from "@seniority/proto";
import type { ServiceImplementation } from "nice-grpc";
import { checkRequestLimits, type RequestLimits } from "./RequestLimits.js";
import type { SeniorityCache } from "@seniority/seniority-cache";

/** seniority.cache.v1.CacheAdminService: Lookup (cache only), Invalidate, GetStats. */
export function createAdminService(
  cache: SeniorityCache,
  limits: RequestLimits,
): ServiceImplementation<typeof CacheAdminServiceDefinition> {
  return {
    async lookup(request) {
      checkRequestLimits(request.pairs, limits);
      const found = await cache.lookupCached(request.pairs);
      return {
        results: request.pairs.map((pair, i) => ({
          pair,
          seniority: found[i]!.level ?? 0,
          tier: found[i]!.tier ?? "",
        })),
      };
    },
    async invalidate(request) {
      checkRequestLimits(request.pairs, limits);
      return { removed: await cache.invalidate(request.pairs) };
    },
    async getStats() {
      const { namespace, requests, items, l1Hits, storeHits, modelItems, modelBatches, coalesced } =
        cache.stats();
      return { namespace, requests, items, l1Hits, storeHits, modelItems, modelBatches, coalesced };
    },
  };
}
