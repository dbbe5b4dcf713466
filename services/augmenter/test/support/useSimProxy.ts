import { ModelSim } from "@seniority/model-sim";
import { CacheService } from "@seniority/seniority-cache-service";
import { createLogger } from "@seniority/telemetry";
import { afterAll, beforeAll } from "vitest";

/** What useSimProxy() hands a suite; each member throws when read before both started. */
export interface SimProxyFixture {
  /** The model-sim (1M items/s) behind the proxy. */
  readonly sim: ModelSim;
  /** The caching proxy's gRPC host:port: what the augmenter's --proxy dials. */
  readonly proxyAddress: string;
}

/**
 * A model-sim and a silent caching proxy (`seniority cache` on a memory store, loopback port 0)
 * in front of it, for the current suite: started in a beforeAll, closed (proxy, then sim) in an
 * afterAll.
 */
export function useSimProxy(): SimProxyFixture {
  let sim: ModelSim | undefined;
  let proxy: CacheService | undefined;
  beforeAll(async () => {
    sim = await ModelSim.start({ capacity: 1_000_000 });
    proxy = await CacheService.start({
      host: "127.0.0.1",
      port: 0,
      store: "memory",
      model: sim.address,
      logger: createLogger("proxy", "silent"),
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await sim?.close();
    [proxy, sim] = [undefined, undefined];
  });
  const running = (): { sim: ModelSim; proxy: CacheService } => {
    if (!sim || !proxy)
      throw new Error("useSimProxy(): they start in beforeAll; use them in a hook or a test");
    return { sim, proxy };
  };
  return {
    get sim() {
      return running().sim;
    },
    get proxyAddress() {
      return running().proxy.server.address;
    },
  };
}
