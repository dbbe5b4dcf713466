import type { NormalizationMode } from "@seniority/pair-key";
import type { Lane } from "@seniority/seniority-model";
import type { StartInProcessModel } from "./InProcessModel.js";
import type { RareWindow } from "../rare/RareWindow.js";
import type { S3CliValues } from "./s3CliOptions.js";

/** The flags of `seniority augment` as commander parses them (see createAugmentCommand). */
export interface AugmentFlags extends S3CliValues {
  input?: string;
  output?: string;
  errors?: string;
  proxy?: string;
  model?: string;
  store?: string;
  normalization?: NormalizationMode;
  once?: boolean;
  watch?: boolean;
  interval: number;
  concurrency: number;
  chunkLines: number;
  maxLineBytes: number;
  localCacheEntries: number;
  parseThreads: number;
  spillBytes: number;
  spillDir?: string;
  batchSize: number;
  rpcConcurrency: number;
  deadline: number;
  retries: number;
  priority: Lane;
  grace: number;
  startAfter?: string;
  rescan?: boolean;
  leases?: string;
  leaseTtl: number;
  redisTlsCa?: string;
  redisTlsCert?: string;
  redisTlsKey?: string;
  redisPasswordFile?: string;
  httpPort?: number;
  rarePairs: "off" | "defer";
  rareMinCount?: number;
  rareWindow?: RareWindow;
  rareMaxPairs?: number;
  backfillPending?: boolean;
  progress?: boolean;
}

/** What the composition root gives the command beyond its flags. */
export interface AugmentCommandDeps {
  /** Backs `--model sim` (services/cli injects model-sim); without it `--model sim` is refused. */
  startSimulator?: StartInProcessModel;
}
