import { readFileSync } from "node:fs";
import { Command } from "commander";
import { runProgram } from "@seniority/cli-options";
import { createModelSimCommand } from "@seniority/model-sim";
import { createAugmentCommand, createWarmCommand } from "@seniority/augmenter";
import {
  createAdminCommand,
  createCacheCommand,
  createExportCommand,
  createImportCommand,
  createRetireCommand,
} from "@seniority/seniority-cache-service";
import { createDemoCommand } from "./demo/createDemoCommand.js";
import { createGenCommand } from "./gen/createGenCommand.js";
import { modelSimStarter } from "./startModelSim.js";

/** The version of this package (services/cli/package.json, one level above dist/). */
const VERSION = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/** Builds the `seniority` program: one sub-command per service or tool. */
export function createProgram(): Command {
  const program = new Command("seniority")
    .description("Seniority levels for job postings: model simulator, caching proxy, augmenter and tools.")
    .version(VERSION, "-V, --version", "print the version and exit")
    .showHelpAfterError("(add --help for usage)");
  program.addCommand(createModelSimCommand());
  program.addCommand(createAugmentCommand({ startSimulator: modelSimStarter() }));
  program.addCommand(createCacheCommand()).addCommand(createAdminCommand());
  program.addCommand(createRetireCommand());
  program.addCommand(createWarmCommand());
  program.addCommand(createExportCommand()).addCommand(createImportCommand());
  program.addCommand(createGenCommand());
  program.addCommand(createDemoCommand());
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  await runProgram(createProgram(), argv);
}
