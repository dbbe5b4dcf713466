import type { NormalizationMode } from "@seniority/pair-key";
import type { ClientTlsOptions } from "@seniority/proto";
import { SeniorityClient, type Lane, type SeniorityResolver } from "@seniority/seniority-model";
import type { RedisSecurity } from "@seniority/redis";
import { createLogger, type Logger } from "@seniority/telemetry";
import { createEmbeddedResolver } from "./createEmbeddedResolver.js";
import type { StartInProcessModel } from "./InProcessModel.js";
import { probeProxy } from "./probeProxy.js";
import type { CachedLevels } from "../rare/CachedLevels.js";

export interface ResolverOptions {
  /** "host:port" of the caching proxy. Without it the cache runs in this process (embedded mode). */
  proxy?: string;
  /** TLS to the proxy (CA, client certificate for mTLS, server name). */
  proxyTls?: ClientTlsOptions;
  /**
   * Embedded mode: "host:port" of the model, or "sim" for model-sim in this process (simulated
   * levels, in a namespace of their own). One of `proxy` and `model` is required.
   */
  model?: string;
  /** Embedded mode: TLS to the model (CA, client certificate for mTLS, server name). */
  modelTls?: ClientTlsOptions;
  /** Embedded mode: the cache's store spec (default "lmdb:./.seniority/cache"). */
  store?: string;
  /** Embedded mode: how the cache keys pairs (default "standard"; part of the namespace). */
  normalization?: NormalizationMode;
  /** Embedded mode, a Redis store: TLS material and the ACL password (readRedisSecurity). */
  redisSecurity?: RedisSecurity;
  /** Embedded mode: gets the cache's warnings and the one line saying model-sim was started. */
  logger?: Logger;
  batchSize?: number;
  /** gRPC calls in flight at once. */
  rpcConcurrency?: number;
  deadlineMs?: number;
  retries?: number;
  retryBaseDelayMs?: number;
  /** The lane asked of the proxy, or of the embedded cache. */
  priority?: Lane;
  /** Embedded mode, `model: "sim"`: starts the simulator (injected by the CLI). */
  startSimulator?: StartInProcessModel;
  /** Deadline of each start-up call to the proxy (health, namespace), ms. Default 3_000. */
  probeTimeoutMs?: number;
}

/** Where levels come from, and the cache namespace they come from (written into every output). */
export interface ResolverWithNamespace {
  resolver: SeniorityResolver;
  namespace: string;
  /**
   * Embedded mode: the cache's answers without inference (L1, then one store read), for the
   * rare-pair policy. Undefined with a proxy: its lookup is an admin call behind a token.
   */
  cachedLevels?: CachedLevels;
}

/** Neither `--proxy` nor `--model`: simulated levels are never the silent default. */
export const MISSING_MODEL_MESSAGE =
  "give --proxy <host:port> (the caching proxy) or --model <host:port> (the model, with the cache in this process); --model sim simulates levels";

export const PROXY_CONFLICT_MESSAGE =
  "--model, --store and --normalization are for the embedded cache: leave them out with --proxy";

/**
 * The seam between the augmenter and where levels come from: the proxy over gRPC when `proxy` is
 * given (checked at once: health, then its namespace — ProxyUnavailableError in one line), otherwise
 * an in-process SeniorityCache on an embedded store (createEmbeddedResolver) in front of `model`.
 */
export async function createResolver(options: ResolverOptions): Promise<ResolverWithNamespace> {
  if (options.proxy === undefined) {
    if (options.model === undefined) throw new Error(MISSING_MODEL_MESSAGE);
    const embedded = await createEmbeddedResolver({
      model: options.model,
      ...(options.store !== undefined ? { store: options.store } : {}),
      ...(options.normalization !== undefined ? { normalization: options.normalization } : {}),
      ...(options.modelTls ? { modelClient: { tls: options.modelTls } } : {}),
      ...(options.redisSecurity !== undefined ? { redisSecurity: options.redisSecurity } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.startSimulator ? { startSimulator: options.startSimulator } : {}),
      logger: options.logger ?? createLogger("augmenter"),
    });
    const cachedLevels: CachedLevels = async (pairs) =>
      (await embedded.cache.lookupCached(pairs)).map((found) => found.level);
    return { resolver: embedded, namespace: embedded.namespace, cachedLevels };
  }
  if (options.model !== undefined || options.store !== undefined || options.normalization !== undefined) {
    throw new Error(PROXY_CONFLICT_MESSAGE);
  }
  const { namespace } = await probeProxy(options.proxy, {
    ...(options.probeTimeoutMs !== undefined ? { timeoutMs: options.probeTimeoutMs } : {}),
    ...(options.proxyTls ? { tls: options.proxyTls } : {}),
  });
  const resolver = new SeniorityClient({
    address: options.proxy,
    ...(options.proxyTls ? { tls: options.proxyTls } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.rpcConcurrency !== undefined ? { concurrency: options.rpcConcurrency } : {}),
    ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.retryBaseDelayMs !== undefined ? { retryBaseDelayMs: options.retryBaseDelayMs } : {}),
    lane: options.priority ?? "bulk",
  });
  return { resolver, namespace };
}
