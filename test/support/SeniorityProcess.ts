import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

/** The `seniority` CLI (built), as deployed. */
const SENIORITY = fileURLToPath(new URL("../../services/cli/bin/seniority.js", import.meta.url));

/**
 * `seniority <command>` in its own process (for fault tests that need a real process: CPU hogs
 * beside it, a heap cap, a kill). start() resolves on the first stdout line (the "listening" line
 * every service prints); stderr is kept for failure messages.
 */
export class SeniorityProcess {
  private stdout = "";
  private stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on("data", (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = once(child, "exit").then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
  }

  /** Starts `seniority ...args` with `nodeArgs` (e.g. --max-old-space-size=64) before the script. */
  static async start(
    args: readonly string[],
    options: { nodeArgs?: readonly string[]; env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<SeniorityProcess> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SENIORITY, ...args], {
      env: { ...process.env, SENIORITY_LOG_LEVEL: "warn", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const proc = new SeniorityProcess(child);
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    let exited = false;
    void proc.exited.then(() => (exited = true));
    while (!proc.stdout.includes("\n")) {
      if (exited || Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`seniority ${args[0]} did not start; stderr: ${proc.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return proc;
  }

  /** Runs `seniority ...args` to its end (for commands that exit: a refused config). */
  static async run(
    args: readonly string[],
    options: { nodeArgs?: readonly string[]; env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<{ code: number | null; stderr: string }> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SENIORITY, ...args], {
      env: { ...process.env, SENIORITY_LOG_LEVEL: "warn", ...options.env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // A command that does not exit (it started serving instead) is killed: code null.
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 10_000);
    const [code] = (await once(child, "exit")) as [number | null];
    clearTimeout(timer);
    return { code, stderr };
  }

  get err(): string {
    return this.stderr;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it is gone. Idempotent. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.alive) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
