import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Why a call was answered with an error instead of levels. */
export type FailureReason = "refused" | "injected" | "max_batch" | "invalid_utf8";

/**
 * The simulator's Prometheus metrics, on the service's own registry. Counters only ever grow:
 * `POST /stats/reset` clears the JSON stats, not these (Prometheus expects monotonic counters).
 */
export class ModelSimMetrics {
  readonly batches: Counter;
  readonly items: Counter;
  readonly duplicateInferences: Counter;
  readonly failedCalls: Counter<"reason">;
  readonly batchSize: Histogram;
  readonly queueDelaySeconds: Histogram;

  constructor(
    readonly registry: Registry,
    sources: { distinctPairs: () => number; backlogItems: () => number },
  ) {
    const registers = [registry];
    this.batches = new Counter({
      name: "model_sim_batches_total",
      help: "Batches accepted for inference.",
      registers,
    });
    this.items = new Counter({
      name: "model_sim_items_total",
      help: "Items accepted for inference.",
      registers,
    });
    this.duplicateInferences = new Counter({
      name: "model_sim_duplicate_inferences_total",
      help: "Items whose exact (company, title) pair had been inferred before.",
      registers,
    });
    this.failedCalls = new Counter({
      name: "model_sim_failed_calls_total",
      help: "Calls answered with an error: refused (refuse-all fault), injected (error rate), max_batch, invalid_utf8.",
      labelNames: ["reason"],
      registers,
    });
    this.batchSize = new Histogram({
      name: "model_sim_batch_size",
      help: "Items per accepted batch.",
      buckets: [1, 10, 50, 100, 250, 500, 750, 1000, 2000, 5000],
      registers,
    });
    this.queueDelaySeconds = new Histogram({
      name: "model_sim_queue_delay_seconds",
      help: "Time a batch waited behind earlier batches before the model started on it.",
      buckets: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    new Gauge({
      name: "model_sim_distinct_pairs",
      help: "Distinct exact (company, title) pairs inferred since start or the last stats reset.",
      registers,
      collect() {
        this.set(sources.distinctPairs());
      },
    });
    new Gauge({
      name: "model_sim_backlog_items",
      help: "Items accepted but not yet served by the simulated model.",
      registers,
      collect() {
        this.set(sources.backlogItems());
      },
    });
  }
}
