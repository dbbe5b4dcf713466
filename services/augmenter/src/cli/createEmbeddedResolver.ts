import { ModelSim } from "@seniority/model-sim";
import {
  DEFAULT_STORE_SPEC,
  openSeniorityCache,
  type OpenSeniorityCacheConfig,
  type SeniorityCache,
} from "@seniority/seniority-cache";
import type { Lane, SeniorityPair, SeniorityResolver } from "@seniority/seniority-model";
import type { Logger } from "@seniority/telemetry";

/** Items a second of the in-process model-sim: the real model's capacity (SPEC). */
export const DEFAULT_SIM_CAPACITY = 1000;

/** The `model` value that starts model-sim in this process (`augment --model sim`, the demo). */
export const IN_PROCESS_SIM = "sim";

export interface EmbeddedResolverOptions extends Omit<
  OpenSeniorityCacheConfig,
  "model" | "store" | "logger" | "modelIdentity"
> {
  /**
   * "host:port" (or "https://host:port") of the model, or IN_PROCESS_SIM ("sim"): a ModelSim
   * started in this process, whose answers go to the cache namespace of simulated levels.
   * Required: simulated levels are never the silent default.
   */
  model: string;
  /** Store spec as openSeniorityCache takes it. Default DEFAULT_STORE_SPEC ("lmdb:./.seniority/cache"). */
  store?: string;
  /**
   * Items a second the in-process ModelSim serves (default 1000); the cache is paced at the same
   * rate unless `modelCapacity` says otherwise. Only with `model: "sim"`.
   */
  simCapacity?: number;
  /** Lane of every call (default "bulk": the augmenter is backfill work). */
  priority?: Lane;
  logger: Logger;
}

/** A SeniorityResolver on an in-process SeniorityCache; close() closes the cache, its store and the sim. */
export interface EmbeddedResolver extends SeniorityResolver {
  readonly cache: SeniorityCache;
  /** The in-process model-sim, with `model: "sim"`. */
  readonly sim: ModelSim | undefined;
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
 * a ModelSim is started on a free loopback port, one warning line says so, and the cache uses the
 * namespace of simulated answers (model identity "sim"), never the real model's.
 */
export async function createEmbeddedResolver(options: EmbeddedResolverOptions): Promise<EmbeddedResolver> {
  const { model, store: storeOption, simCapacity, priority, logger, ...tuning } = options;
  const store = storeOption ?? DEFAULT_STORE_SPEC;
  let sim: ModelSim | undefined;
  let modelAddress = model;
  if (model === IN_PROCESS_SIM) {
    const capacity = simCapacity ?? DEFAULT_SIM_CAPACITY;
    // The sim's own "listening" line would be a second line; only its warnings get through.
    sim = await ModelSim.start({ port: 0, capacity, logger: logger.child({}, { level: "warn" }) });
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
    readonly sim: ModelSim | undefined,
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
