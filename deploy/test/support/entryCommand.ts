import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { REPO_ROOT } from "./paths.js";

/**
 * The commander Command behind a container entry `services/<package>/dist/main.js`: main.js runs
 * `runProgram(create…Command(defaults), argv)`; the same factory, exported by the package,
 * is called here (without main.js' defaults, which only change a default value such as the host).
 */
export async function entryCommand(entry: string): Promise<Command> {
  const pkg = /^services\/([a-z-]+)\/dist\/main\.js$/.exec(entry)?.[1];
  if (!pkg) throw new Error(`${entry} is not a service entry (services/<package>/dist/main.js)`);
  const main = readFileSync(`${REPO_ROOT}/${entry}`, "utf8");
  const call = /\b(create\w*Command)\(/.exec(main);
  if (!call) throw new Error(`${entry} calls no create…Command function`);
  // The package's name is in its package.json (services/seniority-cache is @seniority/seniority-cache-service).
  const { name } = JSON.parse(readFileSync(`${REPO_ROOT}/services/${pkg}/package.json`, "utf8")) as {
    name: string;
  };
  const exports = (await import(name)) as Record<string, unknown>;
  const factory = exports[call[1]!];
  if (typeof factory !== "function") throw new Error(`${name} does not export ${call[1]}`);
  return (factory as () => Command)();
}

/**
 * Parses `args` with `env` as the process environment through the entry's own option parsers,
 * without running the service (the action is replaced by a no-op). Resolves to the parsed
 * options; rejects with commander's message when a flag or a variable holds a bad value.
 */
export async function parseEntryConfig(
  entry: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<Record<string, unknown>> {
  const command = await entryCommand(entry);
  const errors: string[] = [];
  command
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: (text) => errors.push(text.trim()) })
    .action(() => {});
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith("SENIORITY_")) delete process.env[key];
  Object.assign(process.env, env);
  try {
    await command.parseAsync([...args], { from: "user" });
    return command.opts();
  } catch (error) {
    throw new Error(errors.join(" ") || (error as Error).message, { cause: error });
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}
