import { runInProcess, type InProcessRun } from "@seniority/testkit";
import { Command } from "commander";
import { createExportCommand } from "../../src/cli/createExportCommand.js";
import { createImportCommand } from "../../src/cli/createImportCommand.js";

/** Runs `seniority export|import <args>` in this process; what it printed and its exit code. */
export function runTransfer(args: string[]): Promise<InProcessRun> {
  const program = new Command("seniority")
    .addCommand(createExportCommand())
    .addCommand(createImportCommand());
  return runInProcess(program, args);
}
