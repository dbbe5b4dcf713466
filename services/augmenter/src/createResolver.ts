import { SeniorityClient, type Priority, type SeniorityResolver } from "@seniority/seniority-client";
import { createLogger, type Logger } from "@seniority/telemetry";
import { createEmbeddedResolver } from "./createEmbeddedResolver.js";

export interface ResolverOptions {
  /** "host:port" of the caching proxy. Without it the cache runs in this process (embedded mode). */
  proxy?: string;
  /** Embedded mode: "host:port" of the model; without it model-sim is started in-process. */
  model?: string;
  /** Embedded mode: the cache's store spec (default "lmdb:./.seniority/cache"). */
  store?: string;
  /** Embedded mode: gets the cache's warnings and the one line saying model-sim was started. */
  logger?: Logger;
  batchSize?: number;
  /** gRPC calls in flight at once. */
  rpcConcurrency?: number;
  deadlineMs?: number;
  retries?: number;
  retryBaseDelayMs?: number;
  /** The lane asked of the proxy, or of the embedded cache. */
  priority?: Priority;
}

/**
 * The seam between the augmenter and where levels come from: the proxy over gRPC when `proxy` is
 * given, otherwise an in-process SeniorityCache on an embedded store (createEmbeddedResolver).
 */
export async function createResolver(options: ResolverOptions): Promise<SeniorityResolver> {
  if (options.proxy === undefined) {
    return createEmbeddedResolver({
      ...(options.model !== undefined ? { model: options.model } : {}),
      ...(options.store !== undefined ? { store: options.store } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      logger: options.logger ?? createLogger("augmenter"),
    });
  }
  if (options.model !== undefined || options.store !== undefined) {
    throw new Error("--model and --store are for the embedded cache: leave them out with --proxy");
  }
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
