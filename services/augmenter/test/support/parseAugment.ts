import { CommanderError } from "commander";
import { createAugmentCommand } from "../../src/cli/createAugmentCommand.js";

/**
 * Parses `seniority augment <args>` in this process (its action not run when parsing fails);
 * the exit code and the one error line commander printed.
 */
export async function parseAugment(args: string[]): Promise<{ code: number; error: string }> {
  const command = createAugmentCommand().exitOverride();
  let error = "";
  command.configureOutput({ writeErr: (text) => (error += text), writeOut: () => {} });
  try {
    await command.parseAsync(args, { from: "user" });
    return { code: 0, error };
  } catch (thrown) {
    if (!(thrown instanceof CommanderError)) throw thrown;
    // As runProgram does: every usage error exits 2.
    return { code: thrown.exitCode === 0 ? 0 : 2, error: error.trim() };
  }
}
