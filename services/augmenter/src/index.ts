export { createAugmentCommand } from "./cli/createAugmentCommand.js";
export { runAugmenter, type RunAugmenterOptions } from "./run/runAugmenter.js";
export type { RunSummaryJson } from "./run/RunSummary.js";
export {
  processFile,
  type ProcessFileOptions,
  type FileResult,
  OutputMetadata,
  DEFAULT_CHUNK_LINES,
  DEFAULT_MAX_LINE_BYTES,
} from "./file/processFile.js";
export { createResolver, type ResolverOptions } from "./cli/createResolver.js";
export { AugmenterMetrics, type FileOutcome } from "./run/AugmenterMetrics.js";
export {
  PendingScanner,
  INPUT_SUFFIX,
  DEFAULT_SCAN_PAGE_KEYS,
  type ScanPage,
  type PendingScannerOptions,
} from "./run/PendingScanner.js";
export {
  OutputCheckpoint,
  CHECKPOINT_KEY,
  type CheckpointScope,
  type CheckpointRead,
} from "./run/OutputCheckpoint.js";
export { CheckpointWriter, DEFAULT_CHECKPOINT_INTERVAL_MS } from "./run/CheckpointWriter.js";
export { defaultErrorsLocation, splitFileUri, ERRORS_SUFFIX } from "./cli/locations.js";
export { s3CliOptions, s3OptionsFromCli, type S3CliValues } from "./cli/s3CliOptions.js";
export type { LocalPairCache } from "./file/resolveLevels.js";
export { PairLevelCache } from "./file/PairLevelCache.js";
export { ParsePool, type ParsePoolOptions } from "./parse/ParsePool.js";
export { inlineParser, type BlockParser } from "./parse/BlockParser.js";
export { DEFAULT_SPILL_BYTES } from "./file/SpillBuffer.js";
export { removeStaleSpills, SPILL_PREFIX, type RemoveStaleSpillsOptions } from "./file/removeStaleSpills.js";
export { parseLine, BadLineReason, MAX_PAIR_BYTES, type ParsedLine } from "./parse/parseLine.js";
export type { BadLineRecord } from "./file/badLineRecords.js";
export { splitLines, type RawLine, type SplitOptions } from "./jsonl/splitLines.js";
export { spliceSeniority } from "./jsonl/spliceSeniority.js";
export { scanTopLevelObject, type ObjectScan } from "./jsonl/scanTopLevelObject.js";
export { keyTimestamp } from "./run/keyTimestamp.js";
export {
  createEmbeddedResolver,
  DEFAULT_SIM_CAPACITY,
  IN_PROCESS_SIM,
  type EmbeddedResolver,
  type EmbeddedResolverOptions,
} from "./cli/createEmbeddedResolver.js";
export type { FileLeases, FileLease } from "./leases/FileLeases.js";
export { NoLeases } from "./leases/NoLeases.js";
export {
  RedisFileLeases,
  DEFAULT_LEASE_TTL_MS,
  MIN_LEASE_TTL_MS,
  type RedisFileLeasesOptions,
} from "./leases/RedisFileLeases.js";
export { LeaseKeys, leaseScope, DEFAULT_LEASE_KEY_PREFIX } from "./leases/LeaseKeys.js";
export { LeaseLostError, type LeaseLossKind } from "./leases/LeaseLostError.js";
