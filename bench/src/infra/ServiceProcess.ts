import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";
import { ProcessSampler, readProc, type ProcReading } from "../core/ProcessSampler.js";
import { TailBuffer } from "./TailBuffer.js";

export interface ServiceOptions {
  env?: Record<string, string>;
  /** Resolves true once the service answers (polled every 50 ms); gets what it printed so far. */
  ready: (output: string) => Promise<boolean>;
  /** Default 30 s. */
  readyTimeoutMs?: number;
  /** Where stdout and stderr go in full (the tail is kept in memory either way). */
  logFile?: string;
}

/** Every child still running, killed if the benchmark process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/**
 * A long-running process the benchmark starts (model-sim, proxy, redis-server, s3rver …): started,
 * awaited until ready, measured from /proc, stopped. `stop()` is idempotent.
 */
export class ServiceProcess {
  private readonly tail = new TailBuffer();
  private readonly exit: Promise<number | null>;
  private log: WriteStream | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    live.add(child);
    this.exit = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        live.delete(child);
        resolve(code ?? (signal ? -1 : null));
      }),
    );
  }

  static async start(
    name: string,
    command: string,
    args: readonly string[],
    options: ServiceOptions,
  ): Promise<ServiceProcess> {
    const child = spawn(command, args, {
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const service = new ServiceProcess(name, child);
    if (options.logFile) service.log = createWriteStream(options.logFile);
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on("data", (chunk: Buffer) => {
        service.tail.push(chunk);
        service.log?.write(chunk);
      });
    }
    const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
    let exited = false;
    void service.exit.then(() => (exited = true));
    for (;;) {
      if (exited) throw new Error(`${name} exited before it was ready: ${service.output().slice(-2000)}`);
      if (await options.ready(service.output()).catch(() => false)) return service;
      if (Date.now() > deadline) {
        await service.stop();
        throw new Error(
          `${name} was not ready within ${options.readyTimeoutMs ?? 30_000} ms: ${service.output().slice(-2000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last few KiB the process printed. */
  output(): string {
    return this.tail.toString();
  }

  /** CPU and memory right now; throws if the process is gone (a benchmark must notice a crash). */
  reading(): ProcReading {
    const reading = readProc(this.pid);
    if (!reading)
      throw new Error(`${this.name} (pid ${this.pid}) is not running: ${this.output().slice(-2000)}`);
    return reading;
  }

  sampler(intervalMs = 100): ProcessSampler {
    return new ProcessSampler(this.pid, { intervalMs });
  }

  /** SIGTERM, then SIGKILL after `graceMs` (default 10 s). Resolves with the exit code. */
  async stop(graceMs = 10_000): Promise<number | null> {
    if (this.running) {
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
      await this.exit;
      clearTimeout(timer);
    }
    const code = await this.exit;
    await new Promise<void>((resolve) => (this.log ? this.log.end(() => resolve()) : resolve()));
    this.log = undefined;
    return code;
  }
}
