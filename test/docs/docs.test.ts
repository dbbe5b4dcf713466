import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The docs a reader gets with the repository are complete and agree with each other: nothing
// points outside it (files that are not there, one machine's paths), the contract in docs/spec.md
// is the proto the code is built from, and the README quotes the demo run docs/demo.md shows.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DOCS = [
  "README.md",
  "docs/spec.md",
  "docs/architecture.md",
  "docs/demo.md",
  "docs/cli.md",
  "docs/benchmarks.md",
  "docs/security.md",
  "docs/warm-up.md",
  "docs/title-clustering.md",
  "services/seniority-cache/README.md",
  "services/augmenter/README.md",
  "deploy/README.md",
  "deploy/RUNBOOK.md",
];
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** The text between the first line equal to `open` and the next line "```". */
function fenced(text: string, open: string): string {
  const lines = text.split("\n");
  const start = lines.indexOf(open);
  if (start < 0) throw new Error(`no ${open} block`);
  const end = lines.indexOf("```", start + 1);
  return lines.slice(start + 1, end).join("\n");
}

describe("the docs", () => {
  it.each(DOCS)("%s names no file outside the repository and no machine's own paths", (path) => {
    const text = read(path);
    expect(text.match(/\b(?:SPEC|DESIGN)\.md\b/g) ?? []).toEqual([]);
    expect(text.match(/\/work\/\S*/g) ?? []).toEqual([]);
    expect(text.match(/\/home\/\S*|\/root\/\S*/g) ?? []).toEqual([]);
  });

  it.each(DOCS)("%s links only to files that exist", (path) => {
    const links = [...read(path).matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
    const missing = links
      .filter((link) => !/^[a-z]+:/.test(link))
      .map((link) => relative(ROOT, join(ROOT, dirname(path), link)))
      .filter((target) => !existsSync(join(ROOT, target)));
    expect(missing).toEqual([]);
  });

  it("docs/spec.md shows the model's contract exactly as proto/seniority_model.proto has it", () => {
    const proto = read("proto/seniority_model.proto")
      .split("\n")
      .filter((line) => !line.startsWith("//"))
      .join("\n")
      .trim();
    expect(fenced(read("docs/spec.md"), "```protobuf").trim()).toBe(proto);
  });

  it("the README's demo report is the first run docs/demo.md shows (the same timings)", () => {
    const report = (text: string) => {
      const lines = text.split("\n");
      const start = lines.findIndex((line) => line.startsWith("Seniority demo: "));
      return lines.slice(start, lines.indexOf("```", start));
    };
    const readme = report(read("README.md"));
    expect(readme.length).toBeGreaterThan(5);
    const demo = report(read("docs/demo.md").split("### The second run")[0]!);
    expect(readme).toEqual(demo.slice(0, readme.length));
  });
});
