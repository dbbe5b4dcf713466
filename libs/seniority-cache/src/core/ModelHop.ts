import { systemClock, type Clock } from "@seniority/clock";
import { describeTransportFailure, type ClientTlsOptions } from "@seniority/proto";
import {
  ClientClosedError,
  InvalidReplyError,
  RETRYABLE_STATUSES,
  SeniorityClient,
  type ResolveOptions,
  type SeniorityPair,
} from "@seniority/seniority-model";
import type { Logger } from "@seniority/telemetry";
import { isBrokenCircuitError } from "cockatiel";
import { ClientError, Status } from "nice-grpc";
import { CacheError } from "./CacheError.js";
import type { ModelBackend } from "./ModelBackend.js";
import { PeakItemsPerSecond } from "./PeakItemsPerSecond.js";

/** Codes worth a resend on the model hop: the model (or the path to it) may answer next time. */
const TRANSIENT: readonly Status[] = [...RETRYABLE_STATUSES, Status.ABORTED];

export interface ModelHopOptions {
  /** "host:port" (plaintext) or "https://host:port" (TLS). */
  address: string;
  /** CA, client certificate (mTLS), server name; any of them means TLS. */
  tls?: ClientTlsOptions;
  /** Deadline of one attempt at one batch, ms (default 10,000: a full batch takes ~1 s). */
  timeoutMs?: number;
  /** Resends of a batch after a transient failure (default 2), with exponential backoff. */
  retries?: number;
  /** First backoff, ms (default 100); grows up to retryMaxDelayMs (default 2,000). */
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
 * The cache's hop to the model: the one gRPC client (SeniorityClient: per-attempt deadline,
 * retries of transient codes, circuit breaker, validated replies) with the model's settings, plus
 * what the cache needs around it — every item sent counted for the peak-items gauge (resends
 * included), and every failure turned into one CacheError UNAVAILABLE (details to the log).
 */
export class ModelHop implements ModelBackend {
  private constructor(
    private readonly client: SeniorityClient,
    private readonly sent: PeakItemsPerSecond,
    private readonly breakerFailures: number,
    private readonly logger: Logger | undefined,
  ) {}

  static connect(options: ModelHopOptions): ModelHop {
    const breakerFailures = options.breakerFailures ?? 5;
    const sent = new PeakItemsPerSecond(options.clock ?? systemClock);
    const client = new SeniorityClient({
      address: options.address,
      flag: "--model",
      ...(options.tls ? { tls: options.tls } : {}),
      // The cache batches and paces; this client sends each batch as it comes.
      concurrency: Infinity,
      maxBatchBytes: Infinity,
      deadlineMs: Infinity,
      attemptTimeoutMs: options.timeoutMs ?? 10_000,
      retries: options.retries ?? 2,
      retryBaseDelayMs: options.retryInitialDelayMs ?? 100,
      retryMaxDelayMs: options.retryMaxDelayMs ?? 2_000,
      retryableStatuses: TRANSIENT,
      breaker: {
        failures: breakerFailures,
        halfOpenAfterMs: options.breakerHalfOpenAfterMs ?? 5_000,
        onStateChange: (circuit) => options.logger?.warn({ circuit }, "model circuit breaker changed state"),
      },
      maxMessageBytes: options.maxMessageBytes ?? 16 * 1024 * 1024,
      onSend: (items) => sent.record(items),
    });
    return new ModelHop(client, sent, breakerFailures, options.logger);
  }

  /** "Closed" (calls flow), "Open" (failing fast), "HalfOpen" (one probe in flight). */
  get circuit(): string | undefined {
    return this.client.circuit;
  }

  /** Most items sent in any 1 s window since the previous call (see PeakItemsPerSecond). */
  takePeakItemsPerSecond(): number {
    return this.sent.takePeak();
  }

  async resolve(pairs: readonly SeniorityPair[], options: ResolveOptions = {}): Promise<number[]> {
    try {
      return await this.client.resolve(pairs, options);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  /** Idempotent. Calls still running fail with CANCELLED from the channel. */
  close(): Promise<void> {
    return this.client.close();
  }

  /** The one message a caller sees for a failed batch; details go to the log. */
  private unavailable(error: unknown): CacheError {
    if (error instanceof CacheError) return error;
    let reason: string;
    let hint: string | undefined;
    if (isBrokenCircuitError(error)) {
      reason = `failing fast: ${this.breakerFailures} batches in a row failed, the circuit is open`;
    } else if (error instanceof InvalidReplyError) {
      reason = `invalid reply (${error.message}); nothing was cached`;
    } else if (error instanceof ClientError) {
      reason = `${Status[error.code]} from the model`;
      // The likely cause (TLS mismatch, certificate refused) is for the operator's log, not callers.
      hint = describeTransportFailure(error, { secure: this.client.secure, flag: "--model" });
    } else if (error instanceof ClientClosedError) {
      reason = "the model client is closed";
    } else {
      reason = "the call failed";
    }
    this.logger?.warn({ err: error, reason, ...(hint ? { hint } : {}) }, "model batch failed");
    return new CacheError("UNAVAILABLE", `the seniority model is unavailable: ${reason}`, { cause: error });
  }
}
