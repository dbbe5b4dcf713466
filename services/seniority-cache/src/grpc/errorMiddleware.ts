import type { Logger } from "@seniority/telemetry";
import { ServerError, Status, type CallContext, type ServerMiddlewareCall } from "nice-grpc";
import { CacheError } from "@seniority/seniority-cache";

/**
 * The one place that turns errors into gRPC statuses. ServerError passes through; CacheError maps
 * to the status it names, with its message (written for callers); a cancelled call stays CANCELLED;
 * anything else is INTERNAL with a fixed message — its stack goes to the log, never to the client.
 */
export function createErrorMiddleware(logger: Logger) {
  return async function* errorMiddleware<Request, Response>(
    call: ServerMiddlewareCall<Request, Response>,
    context: CallContext,
  ) {
    try {
      return yield* call.next(call.request, context);
    } catch (error) {
      throw toServerError(error, call.method.path, context, logger);
    }
  };
}

function toServerError(error: unknown, path: string, context: CallContext, logger: Logger): ServerError {
  if (error instanceof ServerError) return error;
  if (error instanceof CacheError) return new ServerError(Status[error.code], error.message);
  if (context.signal.aborted) return new ServerError(Status.CANCELLED, "the call was cancelled");
  logger.error({ err: error, path }, "unexpected error in a gRPC handler");
  return new ServerError(Status.INTERNAL, "internal error");
}
