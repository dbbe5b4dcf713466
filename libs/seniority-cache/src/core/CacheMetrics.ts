import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { LANES, type Lane } from "@seniority/seniority-model";

/** Live values read at scrape time (set by the SeniorityCache that owns these metrics). */
export interface CacheMetricSources {
  queued(lane: Lane): number;
  storeDegraded(): boolean;
  l1Entries(): number;
  bufferedWrites(): number;
  circuitOpen(): boolean;
  /** Pairs waiting for another replica's answer. */
  claimWaiting(): number;
  /** True while shared pacing is unreachable and this replica paces itself. */
  pacingLocally(): boolean;
  /** Most items sent to the model in any 1 s window since the previous scrape. */
  modelPeakItemsPerSecond(): number;
}

/** What a claim attempt came to, per pair (see ClaimingBatcher). */
export type ClaimResult = "won" | "lost" | "skipped";

/** Answered lookups by the tier that answered them. */
export type LookupTier = "l1" | "store" | "model";

/**
 * Every metric of the caching proxy, on the service's own registry. Names follow Prometheus
 * conventions (`_total` counters, `_seconds` and plain-unit histograms).
 */
export class CacheMetrics {
  readonly requests: Counter<"code">;
  readonly items: Counter;
  readonly lookups: Counter<"tier">;
  readonly coalesced: Counter;
  readonly modelBatches: Counter;
  readonly modelFailedBatches: Counter;
  readonly modelBatchSize: Histogram;
  readonly modelLatency: Histogram;
  readonly storeErrors: Counter<"operation">;
  readonly storeDuration: Histogram<"operation">;
  readonly requestDuration: Histogram;
  readonly claims: Counter<"result">;
  readonly invalidationsReceived: Counter;
  private sources: CacheMetricSources | undefined;

  constructor(readonly registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: "seniority_cache_requests_total",
      help: "InferSeniority calls answered, by gRPC status code.",
      labelNames: ["code"],
      registers,
    });
    this.items = new Counter({ name: "seniority_cache_items_total", help: "Items requested.", registers });
    this.lookups = new Counter({
      name: "seniority_cache_lookups_total",
      help: "Distinct pairs of each request, by the tier that answered (l1, store, model).",
      labelNames: ["tier"],
      registers,
    });
    this.coalesced = new Counter({
      name: "seniority_cache_coalesced_total",
      help: "Pairs that joined an inference already in flight instead of starting one.",
      registers,
    });
    this.modelBatches = new Counter({
      name: "seniority_cache_model_batches_total",
      help: "Batches answered by the model.",
      registers,
    });
    this.modelFailedBatches = new Counter({
      name: "seniority_cache_model_failed_batches_total",
      help: "Batches that failed (after retries) or were refused by the circuit breaker.",
      registers,
    });
    this.modelBatchSize = new Histogram({
      name: "seniority_cache_model_batch_size",
      help: "Items per batch sent to the model.",
      buckets: [1, 10, 50, 100, 250, 500, 750, 900, 950, 1000, 2000, 5000],
      registers,
    });
    this.modelLatency = new Histogram({
      name: "seniority_cache_model_latency_seconds",
      help: "Time from sending a batch to its validated answer, retries included.",
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 5, 10, 30],
      registers,
    });
    this.storeDuration = new Histogram({
      name: "seniority_cache_store_duration_seconds",
      help: "Time of one store lookup (get, one getMany) or write (set, one setMany), failures included.",
      labelNames: ["operation"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
    this.storeErrors = new Counter({
      name: "seniority_cache_store_errors_total",
      help: "Failed store operations (get, set, delete, probe).",
      labelNames: ["operation"],
      registers,
    });
    this.requestDuration = new Histogram({
      name: "seniority_cache_request_duration_seconds",
      help: "InferSeniority call duration as seen by the server.",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.claims = new Counter({
      name: "seniority_cache_claims_total",
      help:
        "Pairs claimed in Redis before inference: won (this replica infers them), lost (another " +
        "replica has or had them), skipped (Redis unreachable: inferred without a claim).",
      labelNames: ["result"],
      registers,
    });
    this.invalidationsReceived = new Counter({
      name: "seniority_cache_invalidations_received_total",
      help: "Pair keys dropped from L1 on an invalidation broadcast by any replica.",
      registers,
    });
    this.gauge("seniority_cache_claim_waiting", "Pairs waiting for another replica's answer.", (g) =>
      g.set(this.sources?.claimWaiting() ?? 0),
    );
    this.gauge(
      "seniority_cache_pacing_local",
      "1 while shared pacing (Redis) is unreachable and this replica paces itself at capacity / replicas hint.",
      (g) => g.set(this.sources?.pacingLocally() ? 1 : 0),
    );
    this.gauge(
      "seniority_cache_queue_depth",
      "Items waiting for a model batch, by lane.",
      (g) => {
        for (const lane of LANES) g.set({ lane }, this.sources?.queued(lane) ?? 0);
      },
      ["lane"],
    );
    this.gauge("seniority_cache_store_degraded", "1 while the store is unreachable (L1 + model only).", (g) =>
      g.set(this.sources?.storeDegraded() ? 1 : 0),
    );
    this.gauge("seniority_cache_l1_entries", "Entries in the in-process L1 cache.", (g) =>
      g.set(this.sources?.l1Entries() ?? 0),
    );
    this.gauge("seniority_cache_store_buffered_writes", "Writes waiting for the store to return.", (g) =>
      g.set(this.sources?.bufferedWrites() ?? 0),
    );
    this.gauge(
      "seniority_cache_model_peak_items_per_second",
      "Most items sent to the model in any sliding 1 s window since the previous scrape (resends included).",
      (g) => g.set(this.sources?.modelPeakItemsPerSecond() ?? 0),
    );
    this.gauge("seniority_cache_model_circuit_open", "1 while the model circuit breaker fails fast.", (g) =>
      g.set(this.sources?.circuitOpen() ? 1 : 0),
    );
  }

  /** Connects the gauges to live values (one owner per metrics object). */
  bind(sources: CacheMetricSources): void {
    this.sources = sources;
  }

  private gauge<L extends string>(
    name: string,
    help: string,
    collect: (gauge: Gauge<L>) => void,
    labelNames: L[] = [],
  ): void {
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        collect(this);
      },
    });
  }
}
