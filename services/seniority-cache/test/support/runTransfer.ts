import { runProgram } from "@seniority/cli-options";
import { Command } from "commander";
import { vi } from "vitest";
import { createExportCommand } from "../../src/cli/createExportCommand.js";
import { createImportCommand } from "../../src/cli/createImportCommand.js";

/** Runs `seniority export|import <args>` in this process; what it printed and its exit code. */
export async function runTransfer(args: string[]): Promise<{ out: string; err: string; code: number }> {
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
    const program = new Command("seniority")
      .addCommand(createExportCommand())
      .addCommand(createImportCommand());
    await runProgram(program, ["node", "seniority", ...args]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out: out.join(""), err: err.join(""), code };
}
