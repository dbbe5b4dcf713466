export { createAugmentCommand } from "./createAugmentCommand.js";
export { runAugmenter, type RunAugmenterOptions } from "./runAugmenter.js";
export type { RunSummaryJson } from "./RunSummary.js";
export {
  processFile,
  type ProcessFileOptions,
  type FileResult,
  OutputMetadata,
  DEFAULT_CHUNK_LINES,
  DEFAULT_MAX_LINE_BYTES,
} from "./processFile.js";
export { createResolver, type ResolverOptions } from "./createResolver.js";
export { AugmenterMetrics, type FileOutcome } from "./AugmenterMetrics.js";
export {
  PendingScanner,
  INPUT_SUFFIX,
  DEFAULT_SCAN_PAGE_KEYS,
  type ScanPage,
  type PendingScannerOptions,
} from "./PendingScanner.js";
export {
  OutputCheckpoint,
  CHECKPOINT_KEY,
  type CheckpointScope,
  type CheckpointRead,
} from "./OutputCheckpoint.js";
export { CheckpointWriter, DEFAULT_CHECKPOINT_INTERVAL_MS } from "./CheckpointWriter.js";
export { defaultErrorsLocation, splitFileUri, ERRORS_SUFFIX } from "./locations.js";
export type { LocalPairCache } from "./resolveLevels.js";
export { PairLevelCache } from "./PairLevelCache.js";
export { ParsePool, type ParsePoolOptions } from "./ParsePool.js";
export { inlineParser, type BlockParser } from "./BlockParser.js";
export { DEFAULT_SPILL_BYTES } from "./SpillBuffer.js";
export { removeStaleSpills, SPILL_PREFIX, type RemoveStaleSpillsOptions } from "./removeStaleSpills.js";
export { parseLine, BadLineReason, MAX_PAIR_BYTES, type ParsedLine } from "./parseLine.js";
export type { BadLineRecord } from "./badLineRecords.js";
export { splitLines, type RawLine, type SplitOptions } from "./splitLines.js";
export { spliceSeniority } from "./spliceSeniority.js";
export { scanTopLevelObject, type ObjectScan } from "./scanTopLevelObject.js";
export { keyTimestamp } from "./keyTimestamp.js";
export {
  createEmbeddedResolver,
  DEFAULT_SIM_CAPACITY,
  IN_PROCESS_SIM,
  type EmbeddedResolver,
  type EmbeddedResolverOptions,
} from "./createEmbeddedResolver.js";
export type { FileLeases, FileLease } from "./FileLeases.js";
export { NoLeases } from "./NoLeases.js";
export {
  RedisFileLeases,
  DEFAULT_LEASE_TTL_MS,
  MIN_LEASE_TTL_MS,
  type RedisFileLeasesOptions,
} from "./RedisFileLeases.js";
export { LeaseKeys, leaseScope, DEFAULT_LEASE_KEY_PREFIX } from "./LeaseKeys.js";
export { LeaseLostError, type LeaseLossKind } from "./LeaseLostError.js";
