import { SeniorityClient, type Priority, type SeniorityResolver } from "@seniority/seniority-client";

export interface ResolverOptions {
  /** "host:port" of the caching proxy. Without it the augmenter would embed the cache (issue 5). */
  proxy?: string;
  batchSize?: number;
  /** gRPC calls in flight at once. */
  rpcConcurrency?: number;
  deadlineMs?: number;
  retries?: number;
  retryBaseDelayMs?: number;
  priority?: Priority;
}

export const PROXY_REQUIRED = "--proxy is required (embedded mode not built yet)";

/**
 * The seam between the augmenter and where levels come from: the proxy over gRPC today; an
 * in-process SeniorityCache (embedded mode) is to be wired here.
 */
export function createResolver(options: ResolverOptions): SeniorityResolver {
  if (options.proxy === undefined) throw new Error(PROXY_REQUIRED);
  return new SeniorityClient({
    address: options.proxy,
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.rpcConcurrency !== undefined ? { concurrency: options.rpcConcurrency } : {}),
    ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.retryBaseDelayMs !== undefined ? { retryBaseDelayMs: options.retryBaseDelayMs } : {}),
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
  });
}
