import {
  createChannel,
  createClientFactory,
  Metadata,
  Status,
  type Channel,
  type ChannelOptions,
  type ClientError,
} from "nice-grpc";
import { deadlineMiddleware } from "nice-grpc-client-middleware-deadline";
import { retryMiddleware } from "nice-grpc-client-middleware-retry";
import pLimit, { type LimitFunction } from "p-limit";
import {
  dialTarget,
  SeniorityModelDefinition,
  type ClientTlsOptions,
  type SeniorityModelClient,
} from "@seniority/proto";
import { levelsFromResponse } from "./levelsFromResponse.js";
import type { Pair, SeniorityResolver } from "./SeniorityResolver.js";

export type Priority = "bulk" | "interactive";

/** Metadata key the proxy reads to put a call in its interactive or bulk lane. */
export const PRIORITY_METADATA_KEY = "x-seniority-priority";

/** The model's contract takes at most this many items a call. */
export const MAX_BATCH_SIZE = 1000;

/** Transient codes worth another attempt (the call is a pure lookup, so retrying is safe). */
export const RETRYABLE_STATUSES: readonly Status[] = [
  Status.UNAVAILABLE,
  Status.DEADLINE_EXCEEDED,
  Status.RESOURCE_EXHAUSTED,
];

export interface SeniorityClientOptions {
  /** "host:port" or "https://host:port" of the proxy (or of the model itself: same contract). */
  address: string;
  /** CA, client certificate (mTLS), server name; any of them means TLS. */
  tls?: ClientTlsOptions;
  /** Items per call, 1..1000. Default 1000. */
  batchSize?: number;
  /**
   * Bytes of company + title a call carries at most (a lone larger pair goes alone), so a batch of
   * long strings stays under gRPC's 4 MiB message cap. Default 1 MiB.
   */
  maxBatchBytes?: number;
  /** Calls in flight at once, across every resolve() of this client. Default 4. */
  concurrency?: number;
  /** Deadline of one batch, retries and backoff included, in ms. Default 30_000. */
  deadlineMs?: number;
  /** Retries after the first attempt of a batch. Default 5. */
  retries?: number;
  /** Backoff before retry n is random in [0, min(max, base·2ⁿ)] ms. Defaults 200 and 5_000. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Sent as `x-seniority-priority` metadata. Default "bulk". */
  priority?: Priority;
  /** Called before each backoff (for logs and metrics). */
  onRetry?: (error: ClientError, attempt: number, delayMs: number) => void;
  channelOptions?: ChannelOptions;
}

/**
 * A typed client of the seniority proxy: splits pairs into batches of ≤ batchSize, runs at most
 * `concurrency` calls at once, each with a deadline and retries on transient codes, and checks
 * every answer (each uuid once, level 1..7) before returning levels in request order.
 * Duplicate pairs are sent as given (callers dedup; the proxy coalesces them anyway).
 */
export class SeniorityClient implements SeniorityResolver {
  private readonly channel: Channel;
  private readonly client: SeniorityModelClient<
    Parameters<typeof deadlineMiddleware>[1] & Parameters<typeof retryMiddleware>[1]
  >;
  private readonly limit: LimitFunction;
  private readonly batchSize: number;
  private readonly metadata: Metadata;
  private closed = false;

  constructor(private readonly options: SeniorityClientOptions) {
    this.batchSize = options.batchSize ?? MAX_BATCH_SIZE;
    const concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > MAX_BATCH_SIZE) {
      throw new RangeError(`batchSize must be an integer in 1..${MAX_BATCH_SIZE}, got ${this.batchSize}`);
    }
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    this.limit = pLimit(concurrency);
    this.metadata = Metadata({ [PRIORITY_METADATA_KEY]: options.priority ?? "bulk" });
    const target = dialTarget(options.address, { flagPrefix: "--proxy", ...options.tls });
    this.channel = createChannel(target.address, target.credentials, {
      ...target.channelOptions,
      ...options.channelOptions,
    });
    // Attached first = invoked last: the deadline wraps the retries, so backoff stops at the deadline.
    this.client = createClientFactory()
      .use(retryMiddleware)
      .use(deadlineMiddleware)
      .create(SeniorityModelDefinition, this.channel);
  }

  get address(): string {
    return this.options.address;
  }

  async resolve(pairs: readonly Pair[], options: { signal?: AbortSignal } = {}): Promise<number[]> {
    if (this.closed) throw new Error("SeniorityClient is closed");
    options.signal?.throwIfAborted();
    const batches = this.split(pairs);
    // One failed batch fails the whole call; its siblings still queued are cancelled with it.
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const answers = await Promise.all(
        batches.map((batch) =>
          this.limit(() => this.callBatch(batch, controller.signal)).catch((error: unknown) => {
            controller.abort(error);
            throw error;
          }),
        ),
      );
      return answers.flat();
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channel.close();
  }

  private split(pairs: readonly Pair[]): Pair[][] {
    const maxBytes = this.options.maxBatchBytes ?? 1_048_576;
    const batches: Pair[][] = [];
    let batch: Pair[] = [];
    let bytes = 0;
    for (const pair of pairs) {
      // ~8 bytes of protobuf framing an item besides the two strings.
      const size = Buffer.byteLength(pair.company) + Buffer.byteLength(pair.title) + 8;
      if (batch.length === this.batchSize || (batch.length > 0 && bytes + size > maxBytes)) {
        batches.push(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(pair);
      bytes += size;
    }
    if (batch.length > 0) batches.push(batch);
    return batches;
  }

  private async callBatch(batch: readonly Pair[], signal: AbortSignal): Promise<number[]> {
    signal.throwIfAborted();
    const response = await this.client.inferSeniority(
      { batch: batch.map((pair, index) => ({ uuid: index + 1, company: pair.company, title: pair.title })) },
      {
        signal,
        metadata: this.metadata,
        deadline: this.options.deadlineMs ?? 30_000,
        retry: true,
        retryMaxAttempts: this.options.retries ?? 5,
        retryBaseDelayMs: this.options.retryBaseDelayMs ?? 200,
        retryMaxDelayMs: this.options.retryMaxDelayMs ?? 5_000,
        retryableStatuses: [...RETRYABLE_STATUSES],
        ...(this.options.onRetry ? { onRetryableError: this.options.onRetry } : {}),
      },
    );
    return levelsFromResponse(response, batch.length);
  }
}
