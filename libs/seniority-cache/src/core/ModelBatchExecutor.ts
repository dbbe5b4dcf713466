import { ROOT_CONTEXT, SpanStatusCode, type Link, type SpanContext, type Tracer } from "@opentelemetry/api";
import type { Clock } from "@seniority/clock";
import { CacheError } from "./CacheError.js";
import type { CacheMetrics } from "./CacheMetrics.js";
import type { ModelBackend } from "./ModelBackend.js";
import type { Pacer } from "./Pacer.js";
import type { ResilientStore } from "../stores/ResilientStore.js";
import type { SeniorityPair } from "@seniority/seniority-model";
import type { L1Cache } from "./L1Cache.js";

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
  pacer: Pacer;
  l1: L1Cache;
  store: ResilientStore;
  metrics: CacheMetrics;
  tracer: Tracer;
  clock: Clock;
  /**
   * Told when a batch is done: `stored` resolves to true once its answers are in the store (false:
   * buffered for replay); undefined when the batch failed. Claims are released here.
   */
  onSettled?: (items: readonly MissItem[], stored: Promise<boolean> | undefined) => void;
}

/** Links from a batch span to the requests it serves, at most this many. */
const MAX_SPAN_LINKS = 16;

/**
 * What the batcher does with a batch: one model call (resends paced like first sends), then the
 * answers go to L1 and, in one setMany, to the store — all before any waiter is answered, so a
 * key is always either in flight or in L1. A failed batch caches nothing and rejects with
 * CacheError UNAVAILABLE. Each batch is a span linked to the requests it serves.
 */
export class ModelBatchExecutor {
  /** Batches answered and their items, since start. */
  batches = 0;
  items = 0;

  constructor(private readonly deps: ModelBatchExecutorDeps) {}

  async execute(items: MissItem[]): Promise<number[]> {
    const { model, pacer, l1, store, metrics, tracer, clock } = this.deps;
    const span = tracer.startSpan(
      "model batch",
      { attributes: { "seniority.batch_size": items.length }, links: linksOf(items) },
      ROOT_CONTEXT,
    );
    const started = clock.now();
    try {
      const levels = await model.resolve(
        items.map((item) => item.pair),
        {
          // The failed attempt is over (the batcher ends the last attempt's charge); the resend
          // is paced like a first send. take() is only aborted with the call, never before a send.
          beforeRetry: (count, signal) => {
            pacer.answered(count);
            return pacer.take(count, signal);
          },
        },
      );
      metrics.modelLatency.observe((clock.now() - started) / 1000);
      metrics.modelBatches.inc();
      metrics.modelBatchSize.observe(items.length);
      this.batches++;
      this.items += items.length;
      items.forEach((item, i) => l1.set(item.hex, levels[i]!));
      const stored = store.write(
        items.map((item, i) => ({ key: Buffer.from(item.hex, "hex"), level: levels[i]! })),
      );
      this.deps.onSettled?.(items, stored);
      return levels;
    } catch (error) {
      this.deps.onSettled?.(items, undefined);
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
