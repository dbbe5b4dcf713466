import { Command } from "commander";
import { runProgram } from "@seniority/cli-options";

/** Builds the `seniority` program: one sub-command per service or tool. */
export function createProgram(): Command {
  const program = new Command("seniority")
    .description("Seniority levels for job postings: model simulator, caching proxy, augmenter and tools.")
    .showHelpAfterError("(add --help for usage)");
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  await runProgram(createProgram(), argv);
}
