import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { createProgram } from "../src/main.js";

// docs/cli.md is the help text of every command, so the README's CLI reference cannot drift from
// the code. Regenerate it with: SENIORITY_UPDATE_DOCS=1 npx vitest run services/cli/test/cliReference.test.ts
const DOC = new URL("../../../docs/cli.md", import.meta.url);

function helpOf(command: Command): string {
  command.configureHelp({ helpWidth: 100 });
  return command.helpInformation().trimEnd();
}

function renderReference(): string {
  const program = createProgram();
  const sections = [
    "# CLI reference",
    "",
    "Generated from `seniority <command> --help` (see services/cli/test/cliReference.test.ts). Every flag",
    "also reads the environment variable shown beside it; a bad value prints one line naming the flag",
    "and exits with code 2.",
    "",
    "```",
    helpOf(program),
    "```",
  ];
  const walk = (command: Command, path: string): void => {
    for (const sub of command.commands) {
      if (sub.name() === "help") continue;
      const name = `${path} ${sub.name()}`;
      sections.push("", `## ${name}`, "", "```", helpOf(sub), "```");
      walk(sub, name);
    }
  };
  walk(program, "seniority");
  return sections.join("\n") + "\n";
}

describe("docs/cli.md", () => {
  it("is the current help of every command", () => {
    const rendered = renderReference();
    if (process.env["SENIORITY_UPDATE_DOCS"] === "1") writeFileSync(DOC, rendered);
    expect(readFileSync(DOC, "utf8")).toBe(rendered);
  });
});
