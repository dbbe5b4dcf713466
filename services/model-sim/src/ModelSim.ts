import { setMaxListeners } from "node:events";
import { systemClock, type Clock } from "@seniority/clock";
import {
  addServerReflection,
  createServerTls,
  describeInvalidUtf8,
  invalidUtf8In,
  serverChannelOptions,
  SeniorityModelDefinition,
  StrictSeniorityModelDefinition,
  type SeniorityRequestBatch,
  type SeniorityResponseBatch,
  type ServerTls,
  type ServerTlsOptions,
  type ServerTransportOptions,
} from "@seniority/proto";
import { createLogger, createRegistry, HttpEndpoint, type Logger } from "@seniority/telemetry";
import { createServer, ServerError, Status, type Server } from "nice-grpc";
import { HealthDefinition, HealthServiceImpl, HealthState } from "nice-grpc-server-health";
import { CapacityQueue } from "./CapacityQueue.js";
import { createStatsRoute } from "./createStatsRoute.js";
import { applyFaults, type Faults } from "./Faults.js";
import { levelForTitle } from "./levelForTitle.js";
import { ModelSimMetrics, type FailureReason } from "./ModelSimMetrics.js";
import { SimStats, type ModelSimStats } from "./SimStats.js";

export interface ModelSimOptions {
  /** gRPC port; 0 (default) picks a free one. */
  port?: number;
  /** Interface for gRPC and HTTP; default "127.0.0.1". */
  host?: string;
  /** HTTP port for /stats, /faults, /metrics, /healthz, /readyz; undefined (default) = no HTTP. */
  httpPort?: number;
  /** Items a second the model serves (default 1000, as the real one). */
  capacity?: number;
  /** Milliseconds added to every successful call (default 0). */
  latencyMs?: number;
  /** Share 0..1 of calls failed with UNAVAILABLE (default 0). */
  errorRate?: number;
  /** Largest batch accepted (items); larger ones get INVALID_ARGUMENT. Default: no limit. */
  maxBatch?: number;
  /**
   * Distinct pairs remembered for the duplicate count (default: no limit); beyond, the oldest are
   * forgotten (SimStats), so memory stays bounded (~100 bytes a pair).
   */
  maxTrackedPairs?: number;
  /** Default systemClock; tests pass a ManualClock. */
  clock?: Clock;
  /** Uniform in [0, 1), drawn once per call while errorRate > 0. Default Math.random. */
  random?: () => number;
  logger?: Logger;
  /** PEM files of the gRPC server's TLS (mTLS with clientCaFile), re-read on change; default plaintext. */
  tls?: ServerTlsOptions;
  /** Per-connection limits (max streams, connection age, keepalive); GRPC_SERVER_DEFAULTS. */
  transport?: ServerTransportOptions;
}

/**
 * The stand-in for the real seniority model: serves `/SeniorityModel/InferSeniority` with
 * `levelForTitle` answers (the company is ignored), one FIFO queue at `capacity` items a second,
 * and injectable faults.
 *
 * A call is checked in this order: refuse-all fault (UNAVAILABLE), a company or title that is not
 * valid UTF-8 (INVALID_ARGUMENT), `maxBatch` (INVALID_ARGUMENT),
 * error rate (UNAVAILABLE); failed calls cost no capacity and are not in the stats. An empty batch
 * gets an empty answer at once and is not counted. Duplicate uuids in one batch are answered each,
 * in request order, like every other item. Then the batch takes its slot in the queue and the
 * answer comes `latencyMs` after the slot ends. A caller that gives up does not free its slot.
 */
export class ModelSim {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly maxBatch: number | undefined;
  private readonly queue: CapacityQueue;
  private readonly simStats: SimStats;
  private readonly metrics: ModelSimMetrics;
  private readonly server: Server;
  private readonly tls: ServerTls;
  private readonly health = HealthState();
  // aborted by close(): wakes every call still waiting for its slot
  private readonly closing = new AbortController();
  private currentFaults: Faults;
  private http: HttpEndpoint | undefined;
  private grpcPort = 0;
  private closePromise: Promise<void> | undefined;

  private constructor(
    private readonly host: string,
    options: ModelSimOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.simStats = new SimStats(options.maxTrackedPairs);
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? createLogger("model-sim");
    if (options.maxBatch !== undefined && !(Number.isInteger(options.maxBatch) && options.maxBatch >= 1)) {
      throw new RangeError(`maxBatch must be an integer ≥ 1, got ${options.maxBatch}`);
    }
    this.maxBatch = options.maxBatch;
    this.tls = createServerTls(options.tls, {
      onReload: (ok, message) => (ok ? this.logger.info(message) : this.logger.warn(message)),
    });
    this.server = createServer(serverChannelOptions(options.transport));
    this.queue = new CapacityQueue(options.capacity ?? 1000, this.clock);
    this.currentFaults = applyFaults(
      { errorRate: 0, latencyMs: 0, refuseAll: false },
      { errorRate: options.errorRate, latencyMs: options.latencyMs },
    );
    this.metrics = new ModelSimMetrics(createRegistry("model-sim"), {
      distinctPairs: () => this.simStats.distinctPairs,
      backlogItems: () => this.queue.backlogItems(),
    });
    // Every queued call listens on `closing`; there may be thousands (the default warns at 10).
    setMaxListeners(0, this.closing.signal);
    this.server.add(StrictSeniorityModelDefinition, { inferSeniority: (request) => this.infer(request) });
    // Like the proxy: grpc.health.v1 ("" and "SeniorityModel") and reflection v1 + v1alpha.
    this.server.add(HealthDefinition, HealthServiceImpl(this.health));
    addServerReflection(this.server, [SeniorityModelDefinition.fullName]);
  }

  static async start(options: ModelSimOptions = {}): Promise<ModelSim> {
    const sim = new ModelSim(options.host ?? "127.0.0.1", options);
    try {
      sim.grpcPort = await sim.server.listen(
        `${bracketed(sim.host)}:${options.port ?? 0}`,
        sim.tls.credentials,
      );
      await sim.tls.ready();
      sim.health.setStatus("healthy");
      sim.health.setStatus("healthy", SeniorityModelDefinition.fullName);
      if (options.httpPort !== undefined) {
        sim.http = await HttpEndpoint.start({
          port: options.httpPort,
          host: sim.host,
          registry: sim.metrics.registry,
          readiness: () => ({ ready: true, details: { faults: sim.currentFaults } }),
          routes: [
            createStatsRoute({
              stats: () => sim.stats(),
              resetStats: () => sim.resetStats(),
              faults: () => sim.faults(),
              setFaults: (update) => sim.setFaults(update),
            }),
          ],
        });
      }
    } catch (error) {
      await sim.close();
      throw error;
    }
    sim.logger.info({ address: sim.address, httpPort: sim.httpPort }, "model-sim listening");
    return sim;
  }

  /** "host:port" of the gRPC server, e.g. "127.0.0.1:50051". */
  get address(): string {
    return `${bracketed(this.host)}:${this.grpcPort}`;
  }

  get port(): number {
    return this.grpcPort;
  }

  get httpPort(): number | undefined {
    return this.http?.port;
  }

  stats(): ModelSimStats {
    return this.simStats.snapshot();
  }

  /** Clears the JSON stats, including the pairs seen; Prometheus counters keep counting. */
  resetStats(): void {
    this.simStats.reset();
  }

  faults(): Faults {
    return { ...this.currentFaults };
  }

  /** Changes the given faults only; throws a RangeError naming a bad field (nothing changes then). */
  setFaults(faults: { errorRate?: number; latencyMs?: number; refuseAll?: boolean }): void {
    this.currentFaults = applyFaults(this.currentFaults, faults);
    this.logger.info({ faults: this.currentFaults }, "faults set");
  }

  /** Stops both servers, cancelling calls in flight. Idempotent. */
  close(): Promise<void> {
    this.closePromise ??= this.shutdown();
    return this.closePromise;
  }

  private async shutdown(): Promise<void> {
    this.closing.abort(new ServerError(Status.UNAVAILABLE, "model-sim is shutting down"));
    this.health.setStatus("unhealthy");
    this.health.setStatus("unhealthy", SeniorityModelDefinition.fullName);
    this.server.forceShutdown();
    this.tls.close();
    await this.http?.close();
  }

  private async infer(request: SeniorityRequestBatch): Promise<SeniorityResponseBatch> {
    const faults = this.currentFaults;
    const n = request.batch.length;
    if (faults.refuseAll) {
      this.fail("refused", Status.UNAVAILABLE, "model-sim refuses all calls (injected fault)");
    }
    const invalid = invalidUtf8In(request);
    // As the model's protobuf runtime: a string field that is not UTF-8 is refused, never guessed.
    if (invalid) this.fail("invalid_utf8", Status.INVALID_ARGUMENT, describeInvalidUtf8(invalid));
    if (this.maxBatch !== undefined && n > this.maxBatch) {
      this.fail(
        "max_batch",
        Status.INVALID_ARGUMENT,
        `batch of ${n} items exceeds the max batch size of ${this.maxBatch}`,
      );
    }
    if (faults.errorRate > 0 && this.random() < faults.errorRate) {
      this.fail(
        "injected",
        Status.UNAVAILABLE,
        `model-sim injected failure (error rate ${faults.errorRate})`,
      );
    }
    if (n === 0) return { batch: [] };

    const slot = this.queue.reserve(n);
    const queueDelayMs = slot.startsAt - slot.arrivedAt;
    const duplicates = this.simStats.record(request.batch, slot.arrivedAt, queueDelayMs);
    this.metrics.batches.inc();
    this.metrics.items.inc(n);
    this.metrics.duplicateInferences.inc(duplicates);
    this.metrics.batchSize.observe(n);
    this.metrics.queueDelaySeconds.observe(queueDelayMs / 1000);

    const batch = request.batch.map(({ uuid, title }) => ({ uuid, seniority: levelForTitle(title) }));
    await this.clock.sleep(slot.finishesAt - this.clock.now() + faults.latencyMs, this.closing.signal);
    return { batch };
  }

  private fail(reason: FailureReason, code: Status, message: string): never {
    this.metrics.failedCalls.inc({ reason });
    throw new ServerError(code, message);
  }
}

/** IPv6 literals need brackets in "host:port". */
function bracketed(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
