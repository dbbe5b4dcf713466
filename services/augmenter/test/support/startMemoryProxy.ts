import { CacheService, type CacheServiceConfig } from "@seniority/seniority-cache-service";
import { createLogger } from "@seniority/telemetry";

/**
 * A silent caching proxy (`seniority cache` on a memory store, 127.0.0.1, port 0) in front of the
 * model at `model` (host:port); `config` adds to or overrides that.
 */
export function startMemoryProxy(
  model: string,
  config: Partial<CacheServiceConfig> = {},
): Promise<CacheService> {
  return CacheService.start({
    host: "127.0.0.1",
    port: 0,
    store: "memory",
    model,
    logger: createLogger("proxy", "silent"),
    ...config,
  });
}
