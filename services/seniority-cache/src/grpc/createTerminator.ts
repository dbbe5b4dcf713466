import type { CallContext, ServerMiddlewareCall } from "nice-grpc";

/** What a long-lived handler (health Watch) calls to be ended when the server shuts down. */
export interface TerminatorContext {
  abortOnTerminate(): void;
}

/**
 * Ends endless streaming calls at shutdown, so a graceful shutdown does not wait for them forever
 * (after nice-grpc-server-middleware-terminator). A handler opts in with
 * `context.abortOnTerminate()`; terminate() aborts its signal and the stream ends cleanly.
 */
export function createTerminator() {
  const registered = new Set<AbortController>();
  let terminated = false;

  async function* terminatorMiddleware<Request, Response>(
    call: ServerMiddlewareCall<Request, Response, TerminatorContext>,
    context: CallContext,
  ) {
    const controller = new AbortController();
    const forward = (): void => controller.abort(context.signal.reason);
    context.signal.addEventListener("abort", forward, { once: true });
    let optedIn = false;
    const abortOnTerminate = (): void => {
      optedIn = true;
      if (terminated) controller.abort();
      else registered.add(controller);
    };
    try {
      return yield* call.next(call.request, { ...context, signal: controller.signal, abortOnTerminate });
    } catch (error) {
      if (optedIn && terminated && controller.signal.aborted) return;
      throw error;
    } finally {
      registered.delete(controller);
      context.signal.removeEventListener("abort", forward);
    }
  }

  return {
    middleware: terminatorMiddleware,
    /** Aborts every call that opted in, now and from now on. Idempotent. */
    terminate(): void {
      terminated = true;
      for (const controller of registered) controller.abort();
    },
  };
}
