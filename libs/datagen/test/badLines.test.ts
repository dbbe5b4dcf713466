import { describe, expect, it } from "vitest";
import { BAD_LINE_KINDS, type BadLineKind } from "../src/buildBadLine.js";
import { generatePostings } from "../src/generatePostings.js";
import { PostingTally } from "../src/PostingTally.js";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Why an augmenter must reject the line, judged independently of how it was made. */
function rejection(text: string | Buffer, sizeLimit: number): string | undefined {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  if (bytes.length > sizeLimit) return "overlong";
  let decoded: string;
  try {
    decoded = strictUtf8.decode(bytes);
  } catch {
    return "invalid_utf8";
  }
  let value: unknown;
  try {
    value = JSON.parse(decoded);
  } catch {
    return "not_json";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not_object";
  const record = value as Record<string, unknown>;
  if (!("company" in record)) return "missing_company";
  if (typeof record.company !== "string") return "company_not_string";
  if (typeof record.title !== "string") return "title_not_string";
  return undefined;
}

/** The rejection each kind must produce (truncated and garbage lines are simply not JSON). */
const EXPECTED: Record<BadLineKind, string> = {
  not_json: "not_json",
  truncated: "not_json",
  not_object: "not_object",
  missing_company: "missing_company",
  title_not_string: "title_not_string",
  garbage: "not_json",
  invalid_utf8: "invalid_utf8",
  overlong: "overlong",
};

describe("bad lines", () => {
  it("replace --bad-lines of the lines, every kind appears, each is rejected for its reason", () => {
    const tally = new PostingTally();
    const mismatched: string[] = [];
    let blank = 0;
    for (const file of generatePostings({
      seed: 11,
      files: 8,
      linesPerFile: 5000,
      badLineShare: 0.1,
      overlongBytes: 4096,
    })) {
      for (const line of file.lines()) {
        tally.add(line);
        const text = typeof line.text === "string" ? line.text : line.text.toString("latin1");
        if (text.trim() === "") blank += 1;
        const reason = rejection(line.text, 4000);
        const expected = line.kind === "good" ? undefined : EXPECTED[line.kind];
        if (reason !== expected) mismatched.push(`${line.kind}: ${reason}: ${text.slice(0, 120)}`);
      }
    }
    expect(mismatched).toEqual([]);
    expect(blank).toBe(0);
    const counts = tally.counts();
    expect(counts.badLines / counts.lines).toBeGreaterThan(0.09);
    expect(counts.badLines / counts.lines).toBeLessThan(0.11);
    expect(counts.goodLines + counts.badLines).toBe(counts.lines);
    for (const kind of BAD_LINE_KINDS) expect(counts.badLinesByKind[kind]).toBeGreaterThan(300); // ≈ 500 each
  });

  it("leaves out overlong lines unless --overlong-bytes is set, and writes none at share 0", () => {
    const kinds = (badLineShare: number): Set<string> => {
      const seen = new Set<string>();
      for (const file of generatePostings({ seed: 1, files: 2, linesPerFile: 3000, badLineShare })) {
        for (const line of file.lines()) seen.add(line.kind);
      }
      return seen;
    };
    expect(kinds(0.2).has("overlong")).toBe(false);
    expect(kinds(0.2).size).toBe(BAD_LINE_KINDS.length); // the 7 other kinds + good
    expect([...kinds(0)]).toEqual(["good"]);
  });

  it("keeps every good line's pair when bad lines are mixed in", () => {
    const pairs = (badLineShare: number): (string | undefined)[] => {
      const out: (string | undefined)[] = [];
      for (const file of generatePostings({ seed: 4, files: 2, linesPerFile: 2000, badLineShare })) {
        for (const line of file.lines())
          out.push(line.kind === "good" ? `${line.company}|${line.title}` : undefined);
      }
      return out;
    };
    const clean = pairs(0);
    const mixed = pairs(0.3);
    expect(mixed.length).toBe(clean.length);
    expect(mixed.filter((p) => p === undefined).length).toBeGreaterThan(1000);
    expect(mixed.every((p, i) => p === undefined || p === clean[i])).toBe(true);
  });
});
