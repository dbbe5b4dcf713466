import type { ModelSimStats } from "@seniority/model-sim";
import { freePort } from "@seniority/testkit";
import type { ProcReading } from "../core/ProcessSampler.js";
import { httpJson, httpOk } from "./probes.js";
import type { ServiceProcess } from "./ServiceProcess.js";
import { startCliService } from "./startCliService.js";

/** `seniority model-sim` in its own process, with its /stats read over HTTP. */
export class ModelSimProcess {
  private constructor(
    readonly service: ServiceProcess,
    readonly port: number,
    readonly httpPort: number,
    /** Items a second it serves. */
    readonly capacity: number,
  ) {}

  /** `extraArgs` go after the standard flags (e.g. `--max-tracked-pairs` for a fill past 2M pairs). */
  static async start(
    workDir: string,
    capacity: number,
    name = "model-sim",
    extraArgs: readonly string[] = [],
  ): Promise<ModelSimProcess> {
    const [port, httpPort] = [await freePort(), await freePort()];
    const args = [
      "model-sim",
      "--port",
      String(port),
      "--http-port",
      String(httpPort),
      "--capacity",
      String(capacity),
      ...extraArgs,
    ];
    const service = await startCliService(name, args, {
      workDir,
      ready: () => httpOk(`http://127.0.0.1:${httpPort}/readyz`),
    });
    return new ModelSimProcess(service, port, httpPort, capacity);
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  stats(): Promise<ModelSimStats> {
    return httpJson<ModelSimStats>(`http://127.0.0.1:${this.httpPort}/stats`);
  }

  async resetStats(): Promise<void> {
    const response = await fetch(`http://127.0.0.1:${this.httpPort}/stats/reset`, { method: "POST" });
    if (!response.ok) throw new Error(`model-sim /stats/reset: ${response.status}`);
    await response.arrayBuffer();
  }

  reading(): ProcReading {
    return this.service.reading();
  }

  close(): Promise<number | null> {
    return this.service.stop();
  }
}
