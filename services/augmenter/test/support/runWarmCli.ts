import { runProgram } from "@seniority/cli-options";
import { Command } from "commander";
import { vi } from "vitest";
import { createWarmCommand } from "../../src/warm/createWarmCommand.js";

/** Runs `seniority warm <args>` in this process (no progress bar); its output and exit code. */
export async function runWarmCli(args: string[]): Promise<{ out: string; err: string; code: number }> {
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
    await runProgram(new Command("seniority").addCommand(createWarmCommand()), [
      "node",
      "seniority",
      "warm",
      "--progress",
      "false",
      ...args,
    ]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: out.join(""), err: err.join(""), code };
}
