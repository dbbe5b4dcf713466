import { Command, CommanderError } from "commander";
import { redactUrls } from "@seniority/telemetry";

/** Exit code for a bad flag or environment value (as most Unix tools do). */
export const EXIT_USAGE = 2;

/**
 * Parses argv with commander and turns every usage error into one clear line and exit code 2;
 * help and version exit 0. A usage error quotes the bad value: URL credentials in it are hidden.
 */
export async function runProgram(program: Command, argv: readonly string[]): Promise<void> {
  // Every command of the tree: commander copies no settings to commands added with addCommand().
  const all = (command: Command): Command[] => [command, ...command.commands.flatMap(all)];
  for (const command of all(program)) {
    command.exitOverride();
    command.configureOutput({ outputError: (str, write) => write(redactUrls(str)) });
  }
  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
      return;
    }
    throw error;
  }
}
