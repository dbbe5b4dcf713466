import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../services/cli/bin/seniority.js", import.meta.url));

export interface AugmentExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The run summary a finished `augment` prints as its last stdout line. */
export interface AugmentSummary {
  files: { done: number; failed: number; skipped: number; aborted: number };
  failedFiles: string[];
}

/** `seniority augment …` as a real child process (its own Node), for kill and exit-code tests. */
export class AugmentProcess {
  readonly exit: Promise<AugmentExit>;

  private constructor(readonly child: ChildProcess) {
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    this.exit = new Promise((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal, stdout, stderr })),
    );
  }

  static start(args: readonly string[], env: Record<string, string> = {}): AugmentProcess {
    const child = spawn(process.execPath, [BIN, "augment", ...args], {
      env: { ...process.env, SENIORITY_LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    return new AugmentProcess(child);
  }

  static summaryOf(exit: AugmentExit): AugmentSummary {
    return JSON.parse(exit.stdout.trim().split("\n").pop()!) as AugmentSummary;
  }

  /** Kills it (idempotent) and waits for the exit. */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<AugmentExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exit;
  }
}
