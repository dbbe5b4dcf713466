import { INFER_SENIORITY_PATH } from "@seniority/proto";
import { ServerError, Status, type CallContext, type ServerMiddlewareCall } from "nice-grpc";
import type { CacheMetrics } from "@seniority/seniority-cache";

/**
 * Counts InferSeniority calls by final status code and times them (seniority_cache_requests_total,
 * seniority_cache_request_duration_seconds). Runs outside the error middleware, so it sees the
 * status the client gets. Other methods (admin, health, reflection) are not counted.
 */
export function createRequestMetricsMiddleware(metrics: CacheMetrics) {
  return async function* requestMetricsMiddleware<Request, Response>(
    call: ServerMiddlewareCall<Request, Response>,
    context: CallContext,
  ) {
    if (call.method.path !== INFER_SENIORITY_PATH) return yield* call.next(call.request, context);
    const stopTimer = metrics.requestDuration.startTimer();
    let code = Status.OK;
    try {
      return yield* call.next(call.request, context);
    } catch (error) {
      code = error instanceof ServerError ? error.code : Status.UNKNOWN;
      throw error;
    } finally {
      stopTimer();
      metrics.requests.inc({ code: Status[code] });
    }
  };
}
