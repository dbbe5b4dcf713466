import { Command, CommanderError } from "commander";

/** Exit code for a bad flag or environment value (as most Unix tools do). */
export const EXIT_USAGE = 2;

/**
 * Parses argv with commander and turns every usage error into one clear line and exit code 2;
 * help and version exit 0.
 */
export async function runProgram(program: Command, argv: readonly string[]): Promise<void> {
  program.exitOverride();
  program.configureOutput({ outputError: (str, write) => write(str) });
  for (const command of program.commands) command.exitOverride();
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
