import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The `seniority` CLI entry. */
export const SENIORITY_BIN = fileURLToPath(new URL("../../services/cli/bin/seniority.js", import.meta.url));

export interface CliRun {
  child: ChildProcess;
  /** Resolves when the process exits: its code (null if killed) and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout: () => string;
  stderr: () => string;
}

/**
 * Runs `seniority <args>` in a child process, collecting stdout and stderr. `entry` is another
 * script of the same CLI (a service's container entry, dist/main.js) when a test runs that instead.
 */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  entry = SENIORITY_BIN,
): CliRun {
  const child = spawn(process.execPath, [entry, ...args], {
    env: { ...process.env, SENIORITY_LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}
