import { GrpcLoadClient, encodeRequest } from "../baselines/GrpcLoadClient.js";
import { runClosedLoop } from "../core/runClosedLoop.js";
import type { Pair } from "../core/syntheticPairs.js";

/**
 * Sends every pair to `address` (proxy or model) in 1000-pair requests, `concurrency` at once
 * (default 4); throws unless every pair was answered. For warming caches, not for measuring.
 */
export async function sendPairs(address: string, pairs: readonly Pair[], concurrency = 4): Promise<void> {
  const client = new GrpcLoadClient(address);
  try {
    const requests = Math.ceil(pairs.length / 1000);
    const result = await runClosedLoop(
      (i) => client.call(encodeRequest(pairs.slice(i * 1000, (i + 1) * 1000)), 10 * 60_000),
      {
        concurrency,
        durationMs: 60 * 60_000,
        maxOperations: requests,
      },
    );
    if (result.items !== pairs.length)
      throw new Error(`sent ${pairs.length} pairs, ${result.items} answered`);
  } finally {
    client.close();
  }
}
