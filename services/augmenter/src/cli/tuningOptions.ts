import { durationMs, integer, oneOf } from "@seniority/cli-options";
import { availableParallelism } from "node:os";
import { Option } from "commander";
import { DEFAULT_CHUNK_LINES, DEFAULT_MAX_LINE_BYTES } from "../file/processFile.js";
import { DEFAULT_SPILL_BYTES } from "../file/SpillBuffer.js";

/**
 * Files processed at once by default. A file's time is about half waiting (its puts' fsyncs, the
 * proxy): with more files in flight the waits overlap the work of others (measured on 120 files,
 * 2 cores: 2 → 6.2 s, 4 → 5.8 s, 8 → 5.5 s, 16 → 6.5 s). Memory grows by about one file's
 * output each (at most `spillBytes` of it).
 */
const DEFAULT_CONCURRENCY = 8;

/**
 * Parse threads by default: one per core beyond the first, at most 2 (the main thread, which
 * reads, resolves and writes, is the limit beyond that); none on one core.
 */
const DEFAULT_PARSE_THREADS = Math.min(2, availableParallelism() - 1);

/** `augment`'s flags for throughput and memory: files and lines at once, threads, the gRPC calls, the grace. */
export function tuningOptions(): Option[] {
  return [
    new Option("--concurrency <n>", "files processed at once")
      .env("SENIORITY_CONCURRENCY")
      .argParser(integer(1, 64))
      .default(DEFAULT_CONCURRENCY, `${DEFAULT_CONCURRENCY} files`),
    new Option("--chunk-lines <n>", "lines resolved and written together (memory bound)")
      .env("SENIORITY_CHUNK_LINES")
      .argParser(integer(1, 1_000_000))
      .default(DEFAULT_CHUNK_LINES, `${DEFAULT_CHUNK_LINES} lines`),
    new Option("--max-line-bytes <n>", "longer lines are reported as bad")
      .env("SENIORITY_MAX_LINE_BYTES")
      .argParser(integer(1024, 256 * 1024 * 1024))
      .default(DEFAULT_MAX_LINE_BYTES, `${DEFAULT_MAX_LINE_BYTES} bytes (1 MiB)`),
    new Option("--parse-threads <n>", "worker threads parsing lines (0 = parse in the main thread)")
      .env("SENIORITY_PARSE_THREADS")
      .argParser(integer(0, 64))
      .default(DEFAULT_PARSE_THREADS, "cores − 1, at most 2"),
    new Option(
      "--spill-bytes <n>",
      "output bytes of a file kept in memory; beyond, a temp file in --spill-dir",
    )
      .env("SENIORITY_SPILL_BYTES")
      .argParser(integer(0, 2 ** 31 - 1))
      .default(DEFAULT_SPILL_BYTES, `${DEFAULT_SPILL_BYTES} bytes (8 MiB)`),
    new Option("--spill-dir <path>", "writable directory for those temp files (default: $TMPDIR)").env(
      "SENIORITY_SPILL_DIR",
    ),
    new Option("--local-cache-entries <n>", "exact pairs remembered in process (0 = none)")
      .env("SENIORITY_LOCAL_CACHE_ENTRIES")
      .argParser(integer(0, 100_000_000))
      .default(100_000, "100000 pairs"),
    new Option("--batch-size <n>", "pairs per gRPC call")
      .env("SENIORITY_BATCH_SIZE")
      .argParser(integer(1, 1000))
      .default(1000, "1000 pairs"),
    new Option("--rpc-concurrency <n>", "gRPC calls in flight")
      .env("SENIORITY_RPC_CONCURRENCY")
      .argParser(integer(1, 256))
      .default(4, "4 calls"),
    new Option("--deadline <duration>", "deadline of one batch, retries included")
      .env("SENIORITY_DEADLINE")
      .argParser(durationMs)
      .default(30_000, "30s"),
    new Option("--retries <n>", "retries of a batch on UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED")
      .env("SENIORITY_RETRIES")
      .argParser(integer(0, 100))
      .default(5, "5 resends"),
    new Option("--priority <lane>", "lane asked of the proxy")
      .env("SENIORITY_PRIORITY")
      .argParser(oneOf(["bulk", "interactive"] as const))
      .default("bulk"),
    new Option("--grace <duration>", "on SIGTERM, time to finish current files before aborting them")
      .env("SENIORITY_GRACE")
      .argParser(durationMs)
      .default(30_000, "30s"),
  ];
}
