import { execFile } from "node:child_process";
import { SENIORITY_BIN } from "./runCli.js";

/** How a finished `seniority` run ended: its exit code (0 on success) and all it printed. */
export interface SeniorityRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `seniority <args>` to its end (60 s at most) with exactly `env`, in `cwd`. */
export function execSeniority(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd?: string,
): Promise<SeniorityRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [SENIORITY_BIN, ...args],
      { env, cwd, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
