import {
  checkListenHost,
  dialTlsSettings,
  grpcServerSettings,
  type DialTlsSettings,
  type GrpcServerSettings,
} from "@seniority/cli-options";
import { setsTls } from "@seniority/proto";
import { readRedisSecurity, redisSecurityFiles, type RedisSecurity } from "@seniority/redis";
import { bloomSizing, queueHeapBudget, queueHeapProblem } from "@seniority/seniority-cache";
import type { CacheFlags, ParsedCacheFlags } from "./CacheFlags.js";

/** What the flags say beyond their values, derived, read and checked. */
export interface CheckedCacheFlags {
  /** The flags with the queue bounds filled in (from the heap limit when not given). */
  flags: CacheFlags;
  tls: { grpc: GrpcServerSettings; modelTls: DialTlsSettings; peerTls: DialTlsSettings };
  /** TLS material and the password of --store (read from their files). */
  redisSecurity: RedisSecurity;
}

/**
 * Checks the flags together before anything is opened (TLS flags, queue bounds that fit the heap,
 * the admin API's port and token together, interfaces that exist) and reads the files they name.
 * Each problem goes to `usage` (a usage error, exit 2; it never returns).
 */
export async function checkCacheFlags(
  flags: ParsedCacheFlags,
  usage: (message: string) => never,
): Promise<CheckedCacheFlags> {
  let grpc: GrpcServerSettings;
  let modelTls: DialTlsSettings;
  let peerTls: DialTlsSettings;
  try {
    grpc = grpcServerSettings(flags);
    modelTls = dialTlsSettings(flags, "model");
    peerTls = dialTlsSettings(flags, "peer");
  } catch (error) {
    return usage((error as Error).message);
  }
  const budget = queueHeapBudget({ l1Entries: flags.l1Entries, l1: flags.l1 });
  const interactiveFor = (bulk: number): number =>
    flags.maxQueuedInteractive ?? Math.max(Math.ceil(bulk / 10), flags.maxBatch);
  // A derived bulk bound leaves the interactive lane its room: the defaults always fit the heap.
  const maxQueued =
    flags.maxQueued ??
    Math.min(budget.defaultMaxQueued, budget.queueItems - interactiveFor(budget.defaultMaxQueued));
  if (maxQueued < flags.maxBatch) {
    const why = flags.maxQueued === undefined ? ", derived from the heap limit," : "";
    usage(`--max-queued (${maxQueued}${why}) must be at least --max-batch (${flags.maxBatch})`);
  }
  const maxQueuedInteractive = interactiveFor(maxQueued);
  const problem = queueHeapProblem(maxQueued + maxQueuedInteractive, budget);
  if (problem) usage(problem);
  if (flags.bloom) checkBloomFlags(flags, usage);
  if ((flags.adminPort === undefined) !== (flags.adminTokenFile === undefined)) {
    usage("--admin-port and --admin-token-file go together (the admin API needs a token)");
  }
  // A bad --host is a usage error like any other bad flag: one line, exit 2.
  await checkListenHost(flags.host).catch((error: Error) => usage(error.message));
  await checkListenHost(flags.adminHost).catch((error: Error) => usage(`--admin-host: ${error.message}`));
  let redisSecurity: RedisSecurity;
  try {
    redisSecurity = readRedisSecurity(redisSecurityFiles(flags), [flags.store]);
  } catch (error) {
    return usage((error as Error).message);
  }
  if (setsTls(peerTls) && flags.peerAddress === undefined) {
    usage("--peer-tls-* need --peer-address (they are how this replica dials its peers)");
  }
  return {
    flags: { ...flags, maxQueued, maxQueuedInteractive },
    tls: { grpc, modelTls, peerTls },
    redisSecurity,
  };
}

/** --bloom: a filter that fits the library's 2^32 bits, and a rebuild that gets some time. */
function checkBloomFlags(flags: ParsedCacheFlags, usage: (message: string) => never): void {
  try {
    bloomSizing(flags.expectedPairs, flags.bloomFpRate);
  } catch (error) {
    usage(`--expected-pairs and --bloom-fp-rate: ${(error as Error).message}`);
  }
  if (flags.bloomRebuildTimeout < 1) usage("--bloom-rebuild-timeout must be more than 0");
}
