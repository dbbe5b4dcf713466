import { runInProcess, type InProcessRun } from "@seniority/testkit";
import { Command } from "commander";
import { createWarmCommand } from "../../src/warm/createWarmCommand.js";

/** Runs `seniority warm <args>` in this process (no progress bar); its output and exit code. */
export function runWarmCli(args: string[]): Promise<InProcessRun> {
  const program = new Command("seniority").addCommand(createWarmCommand());
  return runInProcess(program, ["warm", "--progress", "false", ...args]);
}
