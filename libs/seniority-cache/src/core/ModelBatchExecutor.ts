import { ROOT_CONTEXT, SpanStatusCode, type Link, type SpanContext, type Tracer } from "@opentelemetry/api";
import type { Clock } from "@seniority/clock";
import { CacheError } from "./CacheError.js";
import type { CacheMetrics } from "./CacheMetrics.js";
import type { ModelBackend } from "./ModelBackend.js";
import type { BatchContext } from "./MicroBatcherOptions.js";
import type { SeniorityPair } from "@seniority/seniority-model";

/** One pair on its way to the model. */
export interface MissItem {
  /**
   * Hex of the pair key (the L1 key). The only form kept while queued: a Buffer per key costs
   * ~1 KB (its own backing store); the store gets Buffer.from(hex) when the answers are written.
   */
  readonly hex: string;
  /** The first-seen original strings. */
  readonly pair: SeniorityPair;
  /** The request that started the flight, linked from the batch span. */
  readonly parent: SpanContext | undefined;
}

export interface ModelBatchExecutorDeps {
  model: ModelBackend;
  metrics: CacheMetrics;
  tracer: Tracer;
  clock: Clock;
}

/** Links from a batch span to the requests it serves, at most this many. */
const MAX_SPAN_LINKS = 16;

/**
 * The model hop of a batch: one model call (its resends paced by the batcher's context), timed and
 * counted; resolves to the levels in order. It writes nothing: the cache records the answers
 * (CacheWrites). A failed batch rejects with CacheError UNAVAILABLE. Each batch is a span linked
 * to the requests it serves.
 */
export class ModelBatchExecutor {
  /** Batches answered and their items, since start. */
  batches = 0;
  items = 0;

  constructor(private readonly deps: ModelBatchExecutorDeps) {}

  async execute(items: readonly MissItem[], context: BatchContext): Promise<number[]> {
    const { model, metrics, tracer, clock } = this.deps;
    const span = tracer.startSpan(
      "model batch",
      { attributes: { "seniority.batch_size": items.length }, links: linksOf(items) },
      ROOT_CONTEXT,
    );
    const started = clock.now();
    try {
      const levels = await model.resolve(
        items.map((item) => item.pair),
        { beforeRetry: (count, signal) => context.beforeRetry(count, signal) },
      );
      metrics.modelLatency.observe((clock.now() - started) / 1000);
      metrics.modelBatches.inc();
      metrics.modelBatchSize.observe(items.length);
      this.batches++;
      this.items += items.length;
      return levels;
    } catch (error) {
      metrics.modelFailedBatches.inc();
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : "failed",
      });
      throw error instanceof CacheError
        ? error
        : new CacheError("UNAVAILABLE", "the seniority model is unavailable", { cause: error });
    } finally {
      span.end();
    }
  }
}

function linksOf(items: readonly MissItem[]): Link[] {
  const seen = new Map<string, Link>();
  for (const { parent } of items) {
    if (parent && !seen.has(parent.spanId)) seen.set(parent.spanId, { context: parent });
    if (seen.size >= MAX_SPAN_LINKS) break;
  }
  return [...seen.values()];
}
