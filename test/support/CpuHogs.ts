import { spawn, type ChildProcess } from "node:child_process";

/**
 * Child processes that only spin, so the processes under test compete for the CPU (the 2-core CI
 * machine then looks like a busy node: late timers, delayed sends). stop() kills them.
 */
export class CpuHogs {
  private constructor(private readonly children: ChildProcess[]) {}

  static start(count: number): CpuHogs {
    const children = Array.from({ length: count }, () =>
      spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }),
    );
    return new CpuHogs(children);
  }

  /** Idempotent. */
  stop(): void {
    for (const child of this.children) if (child.exitCode === null) child.kill("SIGKILL");
  }
}
