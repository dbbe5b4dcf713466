import { InvalidArgumentError } from "commander";
import { parseLocation } from "@seniority/object-store";

/**
 * A commander argParser for flags naming an object store location (`--input`, `--output`): a
 * malformed one fails at parse time as one line naming the flag (exit code 2 via runProgram).
 */
export function locationArg(value: string): string {
  try {
    parseLocation(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value.trim();
}
