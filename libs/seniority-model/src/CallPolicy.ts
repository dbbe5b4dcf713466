import {
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleAll,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
  type RetryPolicy,
} from "cockatiel";
import { ClientError, Status } from "nice-grpc";

/** Transient codes worth another attempt (the call is a pure lookup, so retrying is safe). */
export const RETRYABLE_STATUSES: readonly Status[] = Object.freeze([
  Status.UNAVAILABLE,
  Status.DEADLINE_EXCEEDED,
  Status.RESOURCE_EXHAUSTED,
]);

/** DEADLINE_EXCEEDED for a whole batch, retries included: never retried. */
export class BatchDeadlineError extends ClientError {
  constructor(path: string) {
    super(path, Status.DEADLINE_EXCEEDED, "the deadline of the batch passed");
  }
}

export interface CircuitBreakerOptions {
  /** Failed batches in a row (after retries) that open the circuit. */
  failures: number;
  /** How long the circuit stays open before one probe batch may try, ms. */
  halfOpenAfterMs: number;
  /** Told of every state change ("Closed", "Open", "HalfOpen"). */
  onStateChange?: (state: string) => void;
}

export interface CallPolicyOptions {
  /** Retries after the first attempt of a batch. Default 5. */
  retries?: number;
  /** Backoff before a retry grows exponentially (with jitter) from base to max, ms. Defaults 200 and 5,000. */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Codes that are retried (default RETRYABLE_STATUSES). */
  retryableStatuses?: readonly Status[];
  /** Called before each backoff (for logs and metrics). */
  onRetry?: (error: ClientError, attempt: number, delayMs: number) => void;
  /** A circuit breaker around whole batches (retries included); none by default. */
  breaker?: CircuitBreakerOptions;
}

/**
 * How one batch is attempted (cockatiel): retries of allow-listed gRPC codes with exponential
 * backoff, wrapped by an optional circuit breaker that fails fast after consecutive failed batches.
 */
export class CallPolicy {
  private readonly retry: RetryPolicy;
  private readonly breaker: CircuitBreakerPolicy | undefined;

  constructor(options: CallPolicyOptions) {
    const retryable = new Set(options.retryableStatuses ?? RETRYABLE_STATUSES);
    const retryPolicy = retry(
      handleWhen(
        (error) =>
          error instanceof ClientError && !(error instanceof BatchDeadlineError) && retryable.has(error.code),
      ),
      {
        maxAttempts: options.retries ?? 5,
        backoff: new ExponentialBackoff({
          initialDelay: options.retryBaseDelayMs ?? 200,
          maxDelay: options.retryMaxDelayMs ?? 5_000,
        }),
      },
    );
    if (options.onRetry) {
      const onRetry = options.onRetry;
      retryPolicy.onRetry((reason) => {
        if ("error" in reason && reason.error instanceof ClientError) {
          onRetry(reason.error, reason.attempt, reason.delay);
        }
      });
    }
    if (options.breaker) {
      const { failures, halfOpenAfterMs, onStateChange } = options.breaker;
      this.breaker = circuitBreaker(handleAll, {
        halfOpenAfter: halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(failures),
      });
      if (onStateChange) this.breaker.onStateChange((state) => onStateChange(CircuitState[state]));
    }
    this.retry = retryPolicy;
  }

  /** The breaker's state name, or undefined without a breaker. */
  get circuit(): string | undefined {
    return this.breaker ? CircuitState[this.breaker.state] : undefined;
  }

  /**
   * Runs `attempt(n, signal)` for n = 0, 1, … until it succeeds, fails with a code that is not
   * retried (a BatchDeadlineError never is), or runs out of retries.
   */
  execute<T>(
    attempt: (attempt: number, signal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const attempts = (outer?: AbortSignal): Promise<T> =>
      this.retry.execute(({ attempt: n, signal: attemptSignal }) => attempt(n, attemptSignal), outer);
    return this.breaker
      ? this.breaker.execute(({ signal: outer }) => attempts(outer), signal)
      : attempts(signal);
  }
}
