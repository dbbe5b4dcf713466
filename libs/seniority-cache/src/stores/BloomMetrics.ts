import { Counter, Gauge, type Registry } from "prom-client";

/** What the filter said for one key of a lookup (see BloomGuardedStore). */
export type BloomCheck = "negative" | "positive" | "bypassed";

/** The Bloom filter's metrics (`--bloom`), on the cache's registry beside CacheMetrics. */
export class BloomMetrics {
  readonly checks: Counter<"result">;
  readonly skippedReads: Counter;
  readonly rebuildSeconds: Gauge;
  readonly rebuildKeys: Gauge;
  readonly ready: Gauge;
  readonly bytes: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.checks = new Counter({
      name: "seniority_cache_bloom_checks_total",
      help:
        "Keys of store lookups by what the Bloom filter said: negative (not read from the store), " +
        "positive (read), bypassed (filter not rebuilt yet or given up: read).",
      labelNames: ["result"],
      registers,
    });
    this.skippedReads = new Counter({
      name: "seniority_cache_bloom_skipped_reads_total",
      help: "Store lookups not sent at all because the filter ruled out every key (round trips saved).",
      registers,
    });
    this.rebuildSeconds = new Gauge({
      name: "seniority_cache_bloom_rebuild_duration_seconds",
      help: "Duration of the filter's rebuild from the store at start (so far, while it runs).",
      registers,
    });
    this.rebuildKeys = new Gauge({
      name: "seniority_cache_bloom_rebuild_keys",
      help: "Keys read from the store by the filter's rebuild (so far, while it runs).",
      registers,
    });
    this.ready = new Gauge({
      name: "seniority_cache_bloom_ready",
      help: "1 once the filter is rebuilt and negatives skip the store; 0 while every read goes to the store.",
      registers,
    });
    this.bytes = new Gauge({
      name: "seniority_cache_bloom_bytes",
      help: "Memory of the filter's bits (fixed at start from --expected-pairs and --bloom-fp-rate).",
      registers,
    });
  }
}
