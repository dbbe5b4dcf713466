import { ModelSim } from "@seniority/model-sim";
import { useStarted } from "@seniority/testkit";
import { startMemoryProxy } from "./startMemoryProxy.js";

/** What useSimProxy() hands a suite; each member throws when read before both started. */
export interface SimProxyFixture {
  /** The model-sim (1M items/s) behind the proxy. */
  readonly sim: ModelSim;
  /** The caching proxy's gRPC host:port: what the augmenter's --proxy dials. */
  readonly proxyAddress: string;
}

/**
 * A model-sim and a silent caching proxy on a memory store (startMemoryProxy) in front of it, for
 * the current suite: started in beforeAll hooks (the sim first), closed after it (the proxy first).
 */
export function useSimProxy(): SimProxyFixture {
  const sim = useStarted("model-sim", () => ModelSim.start({ capacity: 1_000_000 }));
  const proxy = useStarted("the caching proxy", () => startMemoryProxy(sim().address));
  return {
    get sim() {
      return sim();
    },
    get proxyAddress() {
      return proxy().server.address;
    },
  };
}
