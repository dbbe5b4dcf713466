import { readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@seniority/testkit";
import type { ProcReading } from "../core/ProcessSampler.js";
import { BENCH_DIST } from "../core/paths.js";
import { httpOk, httpText } from "./probes.js";
import type { ServiceProcess } from "./ServiceProcess.js";
import { startCliService } from "./startCliService.js";

export interface CacheProcessOptions {
  /** The model's host:port. */
  model: string;
  /** "memory", "lmdb:<path>", "redis://…". */
  store: string;
  layout?: "compact" | "keys";
  /** L1 entries; 0 disables L1. Undefined: the service's default. */
  l1Entries?: number;
  /** Items a second the proxy paces the model at (raise it with a raised model-sim capacity). */
  modelCapacity?: number;
  extraArgs?: string[];
  /** Node flags before the CLI (e.g. a heap cap). */
  nodeArgs?: string[];
  name?: string;
  /**
   * Preload the bench's GC hook (gcOnSignal, with --expose-gc) so `collectGarbage()` can run full
   * GCs in the proxy before a memory reading.
   */
  gcHook?: boolean;
}

/** How long `collectGarbage()` waits for the hook's acknowledgement, ms. */
const GC_ACK_TIMEOUT_MS = 60_000;

/** `seniority cache` (the caching proxy) in its own process. */
export class CacheProcess {
  private constructor(
    readonly service: ServiceProcess,
    readonly port: number,
    readonly httpPort: number,
    private readonly gcAck: string | undefined,
  ) {}
  private collections = 0;

  static async start(workDir: string, options: CacheProcessOptions): Promise<CacheProcess> {
    const [port, httpPort] = [await freePort(), await freePort()];
    const args = ["cache", "--port", String(port), "--http-port", String(httpPort), "--model", options.model];
    args.push("--store", options.store);
    if (options.layout) args.push("--redis-layout", options.layout);
    if (options.l1Entries !== undefined) args.push("--l1-entries", String(options.l1Entries));
    if (options.modelCapacity !== undefined) args.push("--model-capacity", String(options.modelCapacity));
    args.push(...(options.extraArgs ?? []));
    const name = options.name ?? "cache";
    const gcAck = options.gcHook ? join(workDir, `${name}.gc-ack`) : undefined;
    const nodeArgs = [...(options.nodeArgs ?? [])];
    if (gcAck) nodeArgs.push("--expose-gc", "--import", join(BENCH_DIST, "infra", "gcOnSignal.js"));
    const service = await startCliService(name, args, {
      workDir,
      ready: () => httpOk(`http://127.0.0.1:${httpPort}/readyz`),
      nodeArgs,
      ...(gcAck ? { env: { SENIORITY_BENCH_GC_ACK: gcAck } } : {}),
    });
    return new CacheProcess(service, port, httpPort, gcAck);
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The Prometheus text of /metrics. */
  metrics(): Promise<string> {
    return httpText(`http://127.0.0.1:${this.httpPort}/metrics`);
  }

  /** Two full GCs in the proxy (needs `gcHook`); resolves once the hook says they are done. */
  async collectGarbage(): Promise<void> {
    if (!this.gcAck) throw new Error("collectGarbage() needs a proxy started with gcHook");
    const expected = String(++this.collections);
    process.kill(this.service.pid, "SIGUSR2");
    const deadline = Date.now() + GC_ACK_TIMEOUT_MS;
    while (readAck(this.gcAck) !== expected) {
      if (Date.now() > deadline)
        throw new Error(`the proxy's GC hook did not answer within ${GC_ACK_TIMEOUT_MS} ms`);
      this.reading(); // throws if the proxy died
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  reading(): ProcReading {
    return this.service.reading();
  }

  close(): Promise<number | null> {
    return this.service.stop();
  }
}

function readAck(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
