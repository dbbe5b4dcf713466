import {
  CacheAdminServiceDefinition,
  describeTransportFailure,
  dialTarget,
  type ClientTlsOptions,
} from "@seniority/proto";
import { ClientError, createChannel, createClient, Status } from "nice-grpc";
import { HealthDefinition } from "nice-grpc-server-health";

/** Default deadline of each start-up call to the proxy, ms. */
export const DEFAULT_PROBE_TIMEOUT_MS = 3_000;

/** The proxy cannot be used: said in one line at start, instead of after minutes of retries. */
export class ProxyUnavailableError extends Error {
  override readonly name = "ProxyUnavailableError";
}

/**
 * Asks the caching proxy at `address`, each with a short deadline: gRPC health (is it up and
 * SERVING?), then its cache namespace (admin GetStats), which the augmenter writes into each
 * output and compares with existing outputs (isOutputCurrent). The proxy's namespace is its
 * identity: model version, normalization and whether its model is simulated.
 */
export async function probeProxy(
  address: string,
  options: { timeoutMs?: number; signal?: AbortSignal; tls?: ClientTlsOptions } = {},
): Promise<{ namespace: string }> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const target = dialTarget(address, { flagPrefix: "--proxy", ...options.tls });
  const channel = createChannel(target.address, target.credentials, target.channelOptions);
  const hint = (error: unknown): string => {
    const cause = describeTransportFailure(error, { secure: target.secure, flag: "--proxy" });
    return cause ? `; ${cause}` : "";
  };
  const callSignal = (): AbortSignal =>
    AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])]);
  const describe = (error: unknown): string =>
    error instanceof ClientError
      ? // OpenSSL's messages span lines: keep the failure one line.
        `${Status[error.code]}${error.details ? `: ${error.details.replace(/\s*\n\s*/g, " ")}` : ""}`
      : (error as Error).name === "AbortError" || (error as Error).name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : (error as Error).message;
  try {
    try {
      const health = await createClient(HealthDefinition, channel).check(
        { service: "" },
        { signal: callSignal() },
      );
      if (health.status !== 1 /* SERVING */) {
        throw new ProxyUnavailableError(
          `the proxy at ${address} is not serving (health status ${health.status})`,
        );
      }
    } catch (error) {
      if (error instanceof ProxyUnavailableError) throw error;
      throw new ProxyUnavailableError(
        `the proxy at ${address} is not reachable (health check: ${describe(error)}${hint(error)})`,
      );
    }
    try {
      const stats = await createClient(CacheAdminServiceDefinition, channel).getStats(
        {},
        { signal: callSignal() },
      );
      if (stats.namespace === "") throw new Error("it reported no cache namespace");
      return { namespace: stats.namespace };
    } catch (error) {
      throw new ProxyUnavailableError(
        `the proxy at ${address} did not report its cache namespace (admin GetStats: ${describe(error)}); is it a seniority-cache?`,
      );
    }
  } finally {
    channel.close();
  }
}
