import type { SeniorityPair, SeniorityResolver } from "@seniority/seniority-model";
import type { RatePacer } from "./RatePacer.js";

export interface SendPlanOptions {
  /** The proxy in the bulk lane (a SeniorityClient with lane "bulk"), or any resolver. */
  resolver: SeniorityResolver;
  pacer: RatePacer;
  /** Items a call carries at most (the pacer's batchSize of it is used). */
  maxBatch: number;
  signal?: AbortSignal;
  /** After each answered batch: pairs of the plan done from its start (for the checkpoint). */
  onBatch?: (sent: number) => Promise<void> | void;
}

/**
 * Sends `plan[from..]` one batch at a time (one call in flight), each batch waiting for the pacer
 * first, so the proxy never gets more than the rate. A pair the proxy has cached is answered
 * without a model call; the rest are inferred and cached there. Resolves to the pairs done; a
 * failed call rejects (what was answered before it is already reported through onBatch).
 */
export async function sendPlan(
  plan: readonly SeniorityPair[],
  from: number,
  options: SendPlanOptions,
): Promise<number> {
  const size = options.pacer.batchSize(options.maxBatch);
  let sent = from;
  while (sent < plan.length) {
    options.signal?.throwIfAborted();
    const batch = plan.slice(sent, sent + size);
    await options.pacer.take(batch.length, options.signal);
    await options.resolver.resolve(batch, options.signal ? { signal: options.signal } : {});
    sent += batch.length;
    await options.onBatch?.(sent);
  }
  return sent;
}
