import type { ProcReading } from "../core/ProcessSampler.js";
import { freePort } from "./freePort.js";
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
}

/** `seniority cache` (the caching proxy) in its own process. */
export class CacheProcess {
  private constructor(
    readonly service: ServiceProcess,
    readonly port: number,
    readonly httpPort: number,
  ) {}

  static async start(workDir: string, options: CacheProcessOptions): Promise<CacheProcess> {
    const [port, httpPort] = [await freePort(), await freePort()];
    const args = ["cache", "--port", String(port), "--http-port", String(httpPort), "--model", options.model];
    args.push("--store", options.store);
    if (options.layout) args.push("--redis-layout", options.layout);
    if (options.l1Entries !== undefined) args.push("--l1-entries", String(options.l1Entries));
    if (options.modelCapacity !== undefined) args.push("--model-capacity", String(options.modelCapacity));
    args.push(...(options.extraArgs ?? []));
    const service = await startCliService(options.name ?? "cache", args, {
      workDir,
      ready: () => httpOk(`http://127.0.0.1:${httpPort}/readyz`),
      ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
    });
    return new CacheProcess(service, port, httpPort);
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The Prometheus text of /metrics. */
  metrics(): Promise<string> {
    return httpText(`http://127.0.0.1:${this.httpPort}/metrics`);
  }

  reading(): ProcReading {
    return this.service.reading();
  }

  close(): Promise<number | null> {
    return this.service.stop();
  }
}
