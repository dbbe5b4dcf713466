import { Command } from "commander";
import { runProgram } from "@seniority/cli-options";
import { createModelSimCommand } from "@seniority/model-sim";

/** Builds the `seniority` program: one sub-command per service or tool. */
export function createProgram(): Command {
  const program = new Command("seniority")
    .showHelpAfterError("(add --help for usage)");
  program.addCommand(createModelSimCommand());
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  await runProgram(createProgram(), argv);
}
