import {
  dialTarget,
  SeniorityModelDefinition,
  type ClientTlsOptions,
  type SeniorityModelClient,
} from "@seniority/proto";
import {
  ClientError,
  createChannel,
  createClientFactory,
  Metadata,
  type Channel,
  type ChannelOptions,
} from "nice-grpc";
import { deadlineMiddleware } from "nice-grpc-client-middleware-deadline";
import pLimit, { type LimitFunction } from "p-limit";
import { MAX_BATCH_SIZE, PRIORITY_METADATA_KEY, type Lane } from "./contract.js";
import { BatchDeadlineError, CallPolicy, type CallPolicyOptions } from "./CallPolicy.js";
import type { SeniorityPair } from "./SeniorityPair.js";
import type { ResolveOptions, SeniorityResolver } from "./SeniorityResolver.js";
import { splitBatches } from "./splitBatches.js";
import { uuidOf, validateReply } from "./validateReply.js";

const INFER_PATH = "/SeniorityModel/InferSeniority";

/** resolve() after close(). */
export class ClientClosedError extends Error {
  override readonly name = "ClientClosedError";
  constructor() {
    super("SeniorityClient is closed");
  }
}

export interface SeniorityClientOptions extends CallPolicyOptions {
  /** "host:port" (plaintext) or "https://host:port" (TLS) of the model, a proxy or a peer. */
  address: string;
  /** CA, client certificate (mTLS), server name; any of them means TLS. */
  tls?: ClientTlsOptions;
  /** The flag that set `address`, named in dial errors (default "--proxy"). */
  flag?: string;
  /** Sent as `x-seniority-priority` metadata when set. */
  lane?: Lane;
  /** More metadata on every call (e.g. the forwarded marker between replicas). */
  metadata?: Readonly<Record<string, string>>;
  /** Items per call, 1..1000. Default 1000. */
  batchSize?: number;
  /**
   * Bytes of company + title a call carries at most (a lone larger pair goes alone), so a batch of
   * long strings stays under gRPC's message cap. Default 1 MiB.
   */
  maxBatchBytes?: number;
  /** Calls in flight at once, across every resolve() of this client. Default 4. */
  concurrency?: number;
  /** Deadline of one whole batch, retries and backoff included, ms. Default 30,000. */
  deadlineMs?: number;
  /** Deadline of one attempt, ms (default: the batch deadline). */
  attemptTimeoutMs?: number;
  /** Largest message sent or received, bytes (default gRPC's: 4 MiB in). */
  maxMessageBytes?: number;
  /** Called with the item count right before every send, resends included. */
  onSend?: (items: number) => void;
  channelOptions?: ChannelOptions;
}

/**
 * The one gRPC client of /SeniorityModel/InferSeniority: the proxy's client of the model, the
 * augmenter's client of the proxy, and a replica's client of its peer. It cuts pairs into batches
 * (≤ batchSize items, ≤ maxBatchBytes), keeps at most `concurrency` calls in flight, gives each
 * attempt a deadline inside the batch's, retries allow-listed codes with backoff (optionally
 * behind a circuit breaker, see CallPolicy), numbers items 1..n and validates every reply
 * (validateReply) before returning levels in request order. Failures are thrown as they come:
 * ClientError, InvalidReplyError or cockatiel's BrokenCircuitError.
 */
export class SeniorityClient implements SeniorityResolver {
  private readonly channel: Channel;
  private readonly client: SeniorityModelClient<{ deadline?: Date | number }>;
  private readonly policy: CallPolicy;
  private readonly limit: LimitFunction;
  private readonly batchSize: number;
  private readonly metadata: Metadata;
  /** True when the channel uses TLS (for describing transport failures). */
  readonly secure: boolean;
  private closed = false;

  constructor(private readonly options: SeniorityClientOptions) {
    this.batchSize = options.batchSize ?? MAX_BATCH_SIZE;
    const concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > MAX_BATCH_SIZE) {
      throw new RangeError(`batchSize must be an integer in 1..${MAX_BATCH_SIZE}, got ${this.batchSize}`);
    }
    if (concurrency !== Infinity && (!Number.isInteger(concurrency) || concurrency < 1)) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    this.limit = pLimit(concurrency);
    this.metadata = Metadata({
      ...options.metadata,
      ...(options.lane ? { [PRIORITY_METADATA_KEY]: options.lane } : {}),
    });
    this.policy = new CallPolicy(options);
    const target = dialTarget(options.address, { flagPrefix: options.flag ?? "--proxy", ...options.tls });
    this.secure = target.secure;
    const bytes = options.maxMessageBytes;
    this.channel = createChannel(target.address, target.credentials, {
      ...target.channelOptions,
      ...(bytes ? { "grpc.max_receive_message_length": bytes, "grpc.max_send_message_length": bytes } : {}),
      ...options.channelOptions,
    });
    this.client = createClientFactory()
      .use(deadlineMiddleware)
      .create(SeniorityModelDefinition, this.channel);
  }

  get address(): string {
    return this.options.address;
  }

  /** "Closed" (calls flow), "Open" (failing fast), "HalfOpen" (one probe in flight); undefined without a breaker. */
  get circuit(): string | undefined {
    return this.policy.circuit;
  }

  async resolve(pairs: readonly SeniorityPair[], options: ResolveOptions = {}): Promise<number[]> {
    if (this.closed) throw new ClientClosedError();
    options.signal?.throwIfAborted();
    if (pairs.length === 0) return [];
    const batches = splitBatches(pairs, this.batchSize, this.options.maxBatchBytes ?? 1_048_576);
    if (batches.length === 1) return this.limit(() => this.callBatch(batches[0]!, options));
    // One failed batch fails the whole call; its siblings still queued are cancelled with it.
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const answers = await Promise.all(
        batches.map((batch) =>
          this.limit(() => this.callBatch(batch, { ...options, signal: controller.signal })).catch(
            (error: unknown) => {
              controller.abort(error);
              throw error;
            },
          ),
        ),
      );
      return answers.flat();
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Idempotent. Calls still running fail with CANCELLED from the channel. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channel.close();
  }

  private async callBatch(batch: readonly SeniorityPair[], options: ResolveOptions): Promise<number[]> {
    options.signal?.throwIfAborted();
    const request = {
      batch: batch.map((pair, index) => ({ uuid: uuidOf(index), company: pair.company, title: pair.title })),
    };
    const batchDeadline = Date.now() + (this.options.deadlineMs ?? 30_000);
    return this.policy.execute(async (attempt, signal) => {
      if (attempt > 0) await options.beforeRetry?.(batch.length, signal);
      const left = batchDeadline - Date.now();
      if (left <= 0) throw new BatchDeadlineError(INFER_PATH);
      this.options.onSend?.(batch.length);
      try {
        const attemptMs = Math.min(left, this.options.attemptTimeoutMs ?? Infinity);
        const reply = await this.client.inferSeniority(request, {
          ...(Number.isFinite(attemptMs) ? { deadline: new Date(Date.now() + attemptMs) } : {}),
          metadata: this.metadata,
          signal,
        });
        return validateReply(batch.length, reply);
      } catch (error) {
        // Past the batch's deadline, a failure is final: no backoff, no resend.
        if (error instanceof ClientError && Date.now() >= batchDeadline)
          throw new BatchDeadlineError(INFER_PATH);
        throw error;
      }
    }, options.signal);
  }
}
