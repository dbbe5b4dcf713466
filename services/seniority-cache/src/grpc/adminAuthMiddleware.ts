import type { Logger } from "@seniority/telemetry";
import { ServerError, Status, type CallContext, type ServerMiddlewareCall } from "nice-grpc";
import type { AdminToken } from "./AdminToken.js";

/** The metadata key of the bearer token (`authorization: Bearer <token>`, as in HTTP). */
export const ADMIN_AUTH_METADATA = "authorization";

/**
 * nice-grpc server middleware of the admin listener: every call needs `authorization: Bearer
 * <token>` matching `token`. No token (or not a Bearer one): UNAUTHENTICATED; a wrong one:
 * PERMISSION_DENIED. Refusals are logged with the method and the peer, never with the token.
 * (With mTLS on the admin listener the client certificate would authenticate instead; that seam is
 * `AdminListenerOptions.credentials` plus an authorizer that accepts a verified peer.)
 */
export function createAdminAuthMiddleware(token: AdminToken, logger: Logger) {
  return async function* adminAuthMiddleware<Request, Response>(
    call: ServerMiddlewareCall<Request, Response>,
    context: CallContext,
  ) {
    const header = context.metadata.get(ADMIN_AUTH_METADATA);
    const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      logger.warn(
        { path: call.method.path, peer: context.peer },
        "admin call without a bearer token refused",
      );
      throw new ServerError(
        Status.UNAUTHENTICATED,
        "the admin API needs a bearer token (seniority admin --token-file)",
      );
    }
    if (!token.matches(match[1]!)) {
      logger.warn({ path: call.method.path, peer: context.peer }, "admin call with a wrong token refused");
      throw new ServerError(Status.PERMISSION_DENIED, "the admin token is not valid");
    }
    return yield* call.next(call.request, context);
  };
}
