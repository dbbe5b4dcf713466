import { boolean } from "@seniority/cli-options";
import { Option } from "commander";

/** A flag that also takes an explicit value, so its variable can say "false" too. */
export function boolFlag(flags: string, description: string, env: string): Option {
  return new Option(`${flags} [bool]`, description).env(env).preset("true").argParser(boolean);
}
