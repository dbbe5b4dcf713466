import type { Command, Option } from "commander";
import { describe, expect, it } from "vitest";
import { createProgram } from "../src/main.js";

// Every number a help text shows as a default says what it counts (`10000 ms`, `1000 items/s`),
// so `admin --timeout` (default 10000) cannot be read as seconds. Ports and seeds are numbers
// without a unit.

function commands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(commands)];
}

function path(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

const unitless = (option: Option) => option.flags.endsWith("<port>") || option.long === "--seed";

describe("help defaults", () => {
  it("give a unit with every numeric default (ports aside)", () => {
    const missing = commands(createProgram()).flatMap((command) =>
      command.options
        .filter((o) => typeof o.defaultValue === "number" && !unitless(o))
        .filter((o) => /^[\d.]*$/.test(o.defaultValueDescription ?? "")) // absent, or a bare number
        .map((o) => `${path(command)} ${o.long}: ${String(o.defaultValue)}`),
    );
    expect(missing).toEqual([]);
  });

  it("list the choices of --redis-layout and --normalization", () => {
    const cache = createProgram().commands.find((c) => c.name() === "cache")!;
    const choices = (long: string) => cache.options.find((o) => o.long === long)?.argChoices;
    expect(choices("--redis-layout")).toEqual(["compact", "keys"]);
    expect(choices("--normalization")).toEqual(["exact", "standard", "casefold", "cluster"]);
  });

  it("answer --version with the version of the package", async () => {
    const program = createProgram();
    let out = "";
    program.exitOverride().configureOutput({ writeOut: (s) => (out += s) });
    expect(() => program.parse(["node", "seniority", "--version"])).toThrow("0.1.0");
    expect(out).toBe("0.1.0\n");
  });
});
