import { runProgram } from "@seniority/cli-options";
import { vi } from "vitest";

/** The command tree runProgram parses (a commander Command; libs name it through runProgram). */
export type Program = Parameters<typeof runProgram>[0];

/** What a command run in this process printed, and its exit code. */
export interface InProcessRun {
  out: string;
  err: string;
  code: number;
}

/**
 * Runs `program` with `args` (what follows the program's name on a command line) in this process,
 * through runProgram as the binary does: stdout and stderr captured (not printed) while it runs,
 * process.exitCode read and reset to 0 after, so one run leaves nothing to the next.
 */
export async function runInProcess(program: Program, args: readonly string[]): Promise<InProcessRun> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi
    .spyOn(process.stdout, "write")
    .mockImplementation((chunk) => (out.push(String(chunk)), true));
  const stderr = vi
    .spyOn(process.stderr, "write")
    .mockImplementation((chunk) => (err.push(String(chunk)), true));
  process.exitCode = 0;
  try {
    await runProgram(program, ["node", program.name(), ...args]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: out.join(""), err: err.join(""), code };
}
