import { systemClock, type Clock } from "@seniority/clock";
import {
  dialTarget,
  SeniorityModelDefinition,
  type ClientTlsOptions,
  type SeniorityModelClient,
} from "@seniority/proto";
import type { Logger } from "@seniority/telemetry";
import {
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleAll,
  handleWhen,
  isBrokenCircuitError,
  retry,
  type CircuitBreakerPolicy,
  type RetryPolicy,
} from "cockatiel";
import { ClientError, Status, createChannel, createClientFactory, type Channel } from "nice-grpc";
import { deadlineMiddleware } from "nice-grpc-client-middleware-deadline";
import { describeTransportFailure } from "@seniority/proto";
import { CacheError } from "./CacheError.js";
import type { ModelBackend, ModelCallOptions } from "./ModelBackend.js";
import { PeakItemsPerSecond } from "./PeakItemsPerSecond.js";
import type { SeniorityPair } from "./SeniorityPair.js";
import { InvalidModelReplyError, validateModelReply } from "./validateModelReply.js";

/** Codes worth a resend: the model (or the path to it) may answer next time. */
const TRANSIENT = new Set<Status>([
  Status.UNAVAILABLE,
  Status.DEADLINE_EXCEEDED,
  Status.RESOURCE_EXHAUSTED,
  Status.ABORTED,
]);

export interface ModelClientOptions {
  /** "host:port" (plaintext) or "https://host:port" (TLS). */
  address: string;
  /** CA, client certificate (mTLS), server name; any of them means TLS. */
  tls?: ClientTlsOptions;
  /** Deadline of one attempt at one batch, ms (default 10,000: a full batch takes ~1 s). */
  timeoutMs?: number;
  /** Resends of a batch after a transient failure (default 2), with exponential backoff. */
  retries?: number;
  /** First backoff, ms (default 100); doubles up to retryMaxDelayMs (default 2,000). */
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Failed batches in a row (after retries) that open the circuit (default 5). */
  breakerFailures?: number;
  /** How long the circuit stays open before one probe batch may try, ms (default 5,000). */
  breakerHalfOpenAfterMs?: number;
  /** Largest reply accepted, bytes (default 16 MiB). */
  maxMessageBytes?: number;
  logger?: Logger;
  /** Times the sends for the peak-items-per-second gauge (default: the system clock). */
  clock?: Clock;
}

/**
 * The model over gRPC (nice-grpc): per-attempt deadline, retries with backoff on transient codes
 * and a circuit breaker around whole batches (cockatiel). Items get uuids 0..n-1 (never a caller's),
 * and a reply is validated before it is returned. Every failure becomes CacheError UNAVAILABLE.
 */
export class ModelClient implements ModelBackend {
  private readonly channel: Channel;
  private readonly client: SeniorityModelClient<{ deadline?: Date | number }>;
  private readonly retry: RetryPolicy;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly timeoutMs: number;
  private readonly breakerFailures: number;
  private readonly sent: PeakItemsPerSecond;
  private readonly secure: boolean;
  private closed = false;

  constructor(private readonly options: ModelClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.sent = new PeakItemsPerSecond(options.clock ?? systemClock);
    this.breakerFailures = options.breakerFailures ?? 5;
    const maxMessageBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
    const target = dialTarget(options.address, { flagPrefix: "--model", ...options.tls });
    this.secure = target.secure;
    this.channel = createChannel(target.address, target.credentials, {
      ...target.channelOptions,
      "grpc.max_receive_message_length": maxMessageBytes,
      "grpc.max_send_message_length": maxMessageBytes,
    });
    this.client = createClientFactory()
      .use(deadlineMiddleware)
      .create(SeniorityModelDefinition, this.channel);
    this.retry = retry(
      handleWhen((error) => error instanceof ClientError && TRANSIENT.has(error.code)),
      {
        maxAttempts: options.retries ?? 2,
        backoff: new ExponentialBackoff({
          initialDelay: options.retryInitialDelayMs ?? 100,
          maxDelay: options.retryMaxDelayMs ?? 2000,
        }),
      },
    );
    this.breaker = circuitBreaker(handleAll, {
      halfOpenAfter: options.breakerHalfOpenAfterMs ?? 5000,
      breaker: new ConsecutiveBreaker(this.breakerFailures),
    });
    this.breaker.onStateChange((state) =>
      options.logger?.warn({ circuit: CircuitState[state] }, "model circuit breaker changed state"),
    );
  }

  /** "Closed" (calls flow), "Open" (failing fast), "HalfOpen" (one probe in flight). */
  get circuit(): keyof typeof CircuitState {
    return CircuitState[this.breaker.state] as keyof typeof CircuitState;
  }

  /** Most items sent in any 1 s window since the previous call (see PeakItemsPerSecond). */
  takePeakItemsPerSecond(): number {
    return this.sent.takePeak();
  }

  async infer(pairs: readonly SeniorityPair[], options: ModelCallOptions = {}): Promise<number[]> {
    if (this.closed) throw new CacheError("UNAVAILABLE", "the model client is closed");
    if (pairs.length === 0) return [];
    const request = {
      batch: pairs.map((pair, uuid) => ({ uuid, company: pair.company, title: pair.title })),
    };
    try {
      return await this.breaker.execute(
        ({ signal }) =>
          this.retry.execute(async ({ attempt, signal: attemptSignal }) => {
            if (attempt > 0) await options.beforeRetry?.(pairs.length, attemptSignal);
            this.sent.record(pairs.length);
            const reply = await this.client.inferSeniority(request, {
              deadline: new Date(Date.now() + this.timeoutMs),
              signal: attemptSignal,
            });
            return validateModelReply(pairs.length, reply);
          }, signal),
        options.signal,
      );
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  /** Idempotent. Calls still running fail with CANCELLED from the channel. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channel.close();
  }

  /** The one message a caller sees for a failed batch; details go to the log. */
  private unavailable(error: unknown): CacheError {
    if (error instanceof CacheError) return error;
    let reason: string;
    let hint: string | undefined;
    if (isBrokenCircuitError(error)) {
      reason = `failing fast: ${this.breakerFailures} batches in a row failed, the circuit is open`;
    } else if (error instanceof InvalidModelReplyError) {
      reason = `invalid reply (${error.message}); nothing was cached`;
    } else if (error instanceof ClientError) {
      reason = `${Status[error.code]} from the model`;
      // The likely cause (TLS mismatch, certificate refused) is for the operator's log, not callers.
      hint = describeTransportFailure(error, { secure: this.secure, flag: "--model" });
    } else {
      reason = "the call failed";
    }
    this.options.logger?.warn({ err: error, reason, ...(hint ? { hint } : {}) }, "model batch failed");
    return new CacheError("UNAVAILABLE", `the seniority model is unavailable: ${reason}`, { cause: error });
  }
}
