import { untilSignal } from "@seniority/cli-options";
import { createLogger, redactUrls, setupTracing } from "@seniority/telemetry";
import { AdminToken } from "../grpc/AdminToken.js";
import type { AdminListenerOptions } from "../grpc/CacheServer.js";
import { CacheService } from "../grpc/CacheService.js";
import type { RedisSecurity } from "@seniority/redis";
import type { CacheFlags } from "./CacheFlags.js";
import type { CheckedCacheFlags } from "./checkCacheFlags.js";

/**
 * Runs the proxy with parsed flags until SIGTERM or SIGINT, then shuts down gracefully (stop
 * accepting, finish calls in progress, drain batches, flush writes) and leaves exit code 0.
 */
export async function runCacheCommand(
  flags: CacheFlags,
  tls: CheckedCacheFlags["tls"],
  redisSecurity: RedisSecurity = {},
): Promise<void> {
  const logger = createLogger("seniority-cache");
  let admin: AdminListenerOptions | undefined;
  try {
    admin = adminListener(flags);
  } catch (error) {
    process.stderr.write(`error: --admin-token-file: ${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  const tracing = setupTracing("seniority-cache");
  const started = CacheService.start({
    ...(admin ? { admin } : {}),
    host: flags.host,
    port: flags.port,
    httpPort: flags.httpPort,
    model: flags.model,
    store: flags.store,
    redisLayout: flags.redisLayout,
    ...(flags.redisKeyPrefix ? { redisKeyPrefix: flags.redisKeyPrefix } : {}),
    redisSecurity,
    ...(flags.redisBuckets !== undefined ? { redisBuckets: flags.redisBuckets } : {}),
    ...(flags.redisPartitions !== undefined ? { redisPartitions: flags.redisPartitions } : {}),
    expectedPairs: flags.expectedPairs,
    ttlSeconds: Math.ceil(flags.ttl / 1000),
    ...(flags.bloom
      ? { bloom: { falsePositiveRate: flags.bloomFpRate, rebuildTimeoutMs: flags.bloomRebuildTimeout } }
      : {}),
    normalization: flags.normalization,
    modelVersion: flags.modelVersion,
    modelIdentity: flags.modelIdentity,
    l1Entries: flags.l1Entries,
    l1: flags.l1,
    maxBatch: flags.maxBatch,
    maxDelayMs: flags.maxDelayMs,
    maxInFlight: flags.maxInFlight,
    bulkSliceMs: flags.bulkSliceMs,
    modelCapacity: flags.modelCapacity,
    paceMarginMs: flags.paceMarginMs,
    paceLeadMs: flags.paceLeadMs,
    sharedPacing: flags.sharedPacing,
    replicasHint: flags.replicasHint,
    ...(flags.peerAddress ? { peerAddress: flags.peerAddress } : {}),
    peerTls: tls.peerTls,
    claimTtlMs: flags.claimTtlMs,
    maxQueued: flags.maxQueued,
    maxQueuedInteractive: flags.maxQueuedInteractive,
    interactiveMaxItems: flags.interactiveMaxItems,
    modelClient: {
      timeoutMs: flags.modelTimeoutMs,
      retries: flags.modelRetries,
      breakerFailures: flags.breakerFailures,
      breakerHalfOpenAfterMs: flags.breakerHalfOpenMs,
      tls: tls.modelTls,
    },
    ...(tls.grpc.tls ? { tls: tls.grpc.tls } : {}),
    transport: tls.grpc.transport,
    limits: { maxItems: flags.maxItems, maxFieldBytes: flags.maxFieldBytes },
    maxMessageBytes: flags.maxMessageBytes,
    tracer: tracing.tracer,
    logger,
  });
  let service: CacheService;
  try {
    service = await started;
  } catch (error) {
    // A port in use, an unreadable LMDB path …: one line, exit code 1 (not a usage error).
    process.stderr.write(
      redactUrls(
        `error: seniority-cache could not start: ${error instanceof Error ? error.message : String(error)}\n`,
      ),
    );
    await tracing.shutdown();
    process.exitCode = 1;
    return;
  }
  const stats = service.cache.stats();
  process.stdout.write(
    `seniority-cache listening: grpc ${service.server.host}:${service.server.port}, ` +
      `http :${service.http?.port}` +
      (service.server.adminPort !== undefined
        ? `, admin ${flags.adminHost}:${service.server.adminPort}`
        : "") +
      ` (${tls.grpc.tls ? (tls.grpc.tls.clientCaFile ? "mTLS, " : "TLS, ") : ""}model ${flags.model}, store ${stats.storeKind}, namespace ${stats.namespace})\n`,
  );
  const signal = await untilSignal();
  logger.info({ signal }, "shutting down: finishing calls in progress");
  await service.close();
  await tracing.shutdown();
  logger.info("stopped");
  logger.flush();
  process.exitCode = 0;
  // Every handle is closed by now; should a library keep one open, do not hang the rollout.
  setTimeout(() => process.exit(0), 2000).unref();
}

function adminListener(flags: CacheFlags): AdminListenerOptions | undefined {
  if (flags.adminPort === undefined || flags.adminTokenFile === undefined) return undefined;
  return { port: flags.adminPort, host: flags.adminHost, token: AdminToken.open(flags.adminTokenFile) };
}
