import type { Logger } from "@seniority/telemetry";
import type { AugmentCommandDeps, AugmentFlags } from "./AugmentFlags.js";
import type { CheckedAugmentFlags } from "./checkAugmentFlags.js";
import type { Closers } from "./Closers.js";
import { createResolver, type ResolverWithNamespace } from "./createResolver.js";

/**
 * The resolver the flags ask for (createResolver: the proxy, or the cache in this process in
 * front of --model), closed by `closers`. Rejects with ProxyUnavailableError when the proxy
 * cannot be used, with another error when the flags cannot work.
 */
export async function openResolver(
  flags: AugmentFlags,
  checked: CheckedAugmentFlags,
  logger: Logger,
  closers: Closers,
  deps: AugmentCommandDeps,
): Promise<ResolverWithNamespace> {
  const { proxyTls, modelTls, redisSecurity } = checked;
  const opened = await createResolver({
    ...(flags.proxy !== undefined ? { proxy: flags.proxy, proxyTls } : {}),
    ...(flags.model !== undefined ? { model: flags.model, modelTls } : {}),
    ...(flags.store !== undefined ? { store: flags.store } : {}),
    ...(flags.normalization !== undefined ? { normalization: flags.normalization } : {}),
    redisSecurity,
    logger,
    batchSize: flags.batchSize,
    rpcConcurrency: flags.rpcConcurrency,
    deadlineMs: flags.deadline,
    retries: flags.retries,
    priority: flags.priority,
    ...(deps.startSimulator ? { startSimulator: deps.startSimulator } : {}),
  });
  closers.add(() => opened.resolver.close());
  return opened;
}
