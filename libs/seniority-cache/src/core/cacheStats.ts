import type { CacheParts } from "./createCacheParts.js";
import type { SeniorityCacheStats } from "./SeniorityCacheOptions.js";

/** The cache's counters and gauges at this moment (admin GetStats, tests). */
export function cacheStats(
  parts: CacheParts,
  counters: { requests: number; items: number; l1Hits: number; storeHits: number },
  coalesced: number,
): SeniorityCacheStats {
  const { store, batcher, claims, executor } = parts;
  return {
    namespace: parts.namespace,
    ...counters,
    modelItems: executor.items,
    modelBatches: executor.batches,
    coalesced,
    l1Entries: parts.l1.size,
    queued: {
      interactive: batcher.queuedIn("interactive"),
      bulk: batcher.queuedIn("bulk"),
    },
    inFlightBatches: batcher.inFlightBatches,
    storeKind: store.kind,
    storeDegraded: store.degraded,
    bufferedWrites: store.bufferedWrites,
    claims: { ...(claims?.counts ?? { won: 0, lost: 0, skipped: 0 }) },
    forwardedToPeers: claims?.forwardedPairs ?? 0,
    waitingOnReplicas: claims?.waiting ?? 0,
  };
}
