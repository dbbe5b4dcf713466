import {
  DEFAULT_STORE_SPEC,
  openSeniorityCache,
  type OpenSeniorityCacheConfig,
  type SeniorityCache,
} from "@seniority/seniority-cache";
import type { Lane, SeniorityPair, SeniorityResolver } from "@seniority/seniority-model";
import type { Logger } from "@seniority/telemetry";

import {
  DEFAULT_SIM_CAPACITY,
  IN_PROCESS_SIM,
  NO_IN_PROCESS_MODEL_MESSAGE,
  type InProcessModel,
  type StartInProcessModel,
} from "./InProcessModel.js";

export interface EmbeddedResolverOptions extends Omit<
  OpenSeniorityCacheConfig,
  "model" | "store" | "logger" | "modelIdentity"
> {
  /**
   * "host:port" (or "https://host:port") of the model, or IN_PROCESS_SIM ("sim"): a simulator
   * started in this process by `startSimulator`, whose answers go to the cache namespace of simulated levels.
   * Required: simulated levels are never the silent default.
   */
  model: string;
  /** Store spec as openSeniorityCache takes it. Default DEFAULT_STORE_SPEC ("lmdb:./.seniority/cache"). */
  store?: string;
  /**
   * Items a second the in-process simulator serves (default 1000); the cache is paced at the same
   * rate unless `modelCapacity` says otherwise. Only with `model: "sim"`.
   */
  simCapacity?: number;
  /** Lane of every call (default "bulk": the augmenter is backfill work). */
  priority?: Lane;
  /** Starts the simulator for `model: "sim"` (injected by the CLI; without it "sim" is refused). */
  startSimulator?: StartInProcessModel;
  logger: Logger;
}

/** A SeniorityResolver on an in-process SeniorityCache; close() closes the cache, its store and the sim. */
export interface EmbeddedResolver extends SeniorityResolver {
  readonly cache: SeniorityCache;
  /** The in-process simulator, with `model: "sim"`. */
  readonly sim: InProcessModel | undefined;
  /** Where the cache sends misses ("127.0.0.1:<port>" for the in-process sim). */
  readonly modelAddress: string;
  /** The store spec in use. */
  readonly store: string;
  /** The cache namespace of the answers (cacheNamespace: model version, normalization, identity). */
  readonly namespace: string;
}

/**
 * Embedded mode: the caching proxy's core runs in this process on an embedded store (LMDB by
 * default), so the augmenter needs no proxy, no Redis and — with `model: "sim"` — no model endpoint:
 * the injected simulator is started on a free loopback port, one warning line says so, and the cache uses the
 * namespace of simulated answers (model identity "sim"), never the real model's.
 */
export async function createEmbeddedResolver(options: EmbeddedResolverOptions): Promise<EmbeddedResolver> {
  const { model, store: storeOption, simCapacity, priority, startSimulator, logger, ...tuning } = options;
  const store = storeOption ?? DEFAULT_STORE_SPEC;
  let sim: InProcessModel | undefined;
  let modelAddress = model;
  if (model === IN_PROCESS_SIM) {
    if (!startSimulator) throw new Error(NO_IN_PROCESS_MODEL_MESSAGE);
    const capacity = simCapacity ?? DEFAULT_SIM_CAPACITY;
    // The sim's own "listening" line would be a second line; only its warnings get through.
    sim = await startSimulator({ capacity, logger: logger.child({}, { level: "warn" }) });
    modelAddress = sim.address;
    tuning.modelCapacity ??= capacity;
    // A warning, not info: levels from a simulator must never pass unnoticed for the real model's.
    logger.warn(
      { model: modelAddress, capacity, store },
      `model-sim started in-process at ${modelAddress} (${capacity} items/s); levels are simulated`,
    );
  }
  let cache: SeniorityCache;
  try {
    cache = await openSeniorityCache({
      ...tuning,
      store,
      model: modelAddress,
      modelIdentity: sim ? "sim" : "model",
      logger,
    });
  } catch (error) {
    await sim?.close();
    throw error;
  }
  return new CacheResolver(cache, sim, modelAddress, store, priority ?? "bulk", logger);
}

class CacheResolver implements EmbeddedResolver {
  private closed: Promise<void> | undefined;

  constructor(
    readonly cache: SeniorityCache,
    readonly sim: InProcessModel | undefined,
    readonly modelAddress: string,
    readonly store: string,
    private readonly priority: Lane,
    private readonly logger: Logger,
  ) {}

  get namespace(): string {
    return this.cache.namespace;
  }

  resolve(pairs: readonly SeniorityPair[], options: { signal?: AbortSignal } = {}): Promise<number[]> {
    return this.cache.infer(pairs, {
      priority: this.priority,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** Idempotent: the cache first (it drains its batches and flushes store writes), then the sim. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      for (const [step, run] of [
        ["close cache", () => this.cache.close()],
        ["close model-sim", () => this.sim?.close()],
      ] as const) {
        try {
          await run();
        } catch (error) {
          this.logger.error({ err: error, step }, "embedded resolver close step failed");
        }
      }
    })();
    return this.closed;
  }
}
