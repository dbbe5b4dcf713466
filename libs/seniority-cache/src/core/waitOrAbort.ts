import { CacheError } from "./CacheError.js";

/**
 * Waits for `promise` unless `signal` aborts first. Aborting stops only this wait: the work behind
 * the promise goes on (a cancelled caller leaves its flight to the others). Rejects with a
 * CacheError("CANCELLED") on abort; the listener is removed either way.
 */
export function waitOrAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(cancelled(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function cancelled(signal: AbortSignal): CacheError {
  return new CacheError("CANCELLED", "the caller cancelled the request", { cause: signal.reason });
}
