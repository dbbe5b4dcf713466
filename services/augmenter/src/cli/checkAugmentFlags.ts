import { dialTlsSettings, type DialTlsSettings } from "@seniority/cli-options";
import { readRedisSecurity, redisSecurityFiles, type RedisSecurity } from "@seniority/redis";
import type { AugmentFlags } from "./AugmentFlags.js";
import { checkSpillDir } from "../file/checkSpillDir.js";
import { IN_PROCESS_SIM } from "./InProcessModel.js";
import { MISSING_MODEL_MESSAGE, PROXY_CONFLICT_MESSAGE } from "./createResolver.js";

/** What the flags say beyond their values, read and checked. */
export interface CheckedAugmentFlags {
  proxyTls: DialTlsSettings;
  modelTls: DialTlsSettings;
  /** TLS material and the password of --leases and --store (read from their files). */
  redisSecurity: RedisSecurity;
}

/**
 * Checks the flags together before anything is opened (one mode, the locations it needs, a source
 * of levels, TLS flags only beside what they dial, a writable --spill-dir) and reads the files they
 * name. Each problem goes to `usage` (a usage error, exit 2; it never returns).
 */
export async function checkAugmentFlags(
  file: string | undefined,
  flags: AugmentFlags,
  usage: (message: string) => never,
): Promise<CheckedAugmentFlags> {
  const modes = [
    file !== undefined,
    flags.once === true,
    flags.watch === true,
    flags.backfillPending === true,
  ];
  if (modes.filter(Boolean).length !== 1)
    usage("give exactly one of --once, --watch, --backfill-pending or a file URI");
  if (flags.output === undefined) usage("--output is required");
  if (file === undefined && flags.input === undefined)
    usage("--input is required with --once, --watch and --backfill-pending");
  if (flags.rarePairs !== "defer")
    for (const [name, value] of [
      ["--rare-min-count", flags.rareMinCount],
      ["--rare-window", flags.rareWindow],
      ["--rare-max-pairs", flags.rareMaxPairs],
    ] as const)
      if (value !== undefined) usage(`${name} needs --rare-pairs defer`);
  if (flags.proxy === undefined && flags.model === undefined) usage(MISSING_MODEL_MESSAGE);
  const embeddedOnly = [flags.model, flags.store, flags.normalization];
  if (flags.proxy !== undefined && embeddedOnly.some((flag) => flag !== undefined)) {
    usage(PROXY_CONFLICT_MESSAGE);
  }
  let proxyTls: DialTlsSettings;
  let modelTls: DialTlsSettings;
  try {
    proxyTls = dialTlsSettings(flags, "proxy");
    modelTls = dialTlsSettings(flags, "model");
  } catch (error) {
    return usage((error as Error).message);
  }
  // (flagPrefix is always there: more than one key means a TLS flag was given.)
  if (flags.proxy === undefined && Object.keys(proxyTls).length > 1) {
    usage("--proxy-tls-* flags need --proxy");
  }
  if ((flags.model === undefined || flags.model === IN_PROCESS_SIM) && Object.keys(modelTls).length > 1) {
    usage("--model-tls-* flags need --model <host:port>");
  }
  if (flags.spillDir !== undefined)
    await checkSpillDir(flags.spillDir).catch((error: Error) => usage(error.message));
  let redisSecurity: RedisSecurity = {};
  try {
    redisSecurity = readRedisSecurity(redisSecurityFiles(flags), [flags.leases, flags.store]);
  } catch (error) {
    usage((error as Error).message);
  }
  return { proxyTls, modelTls, redisSecurity };
}
