import { normalizeText } from "@seniority/pair-key";
import { describe, expect, it } from "vitest";
import { chunked } from "../src/generate.js";
import { generatePostings, type GeneratedLine, type PostingStreamOptions } from "../src/generatePostings.js";
import { DEFAULT_UNIVERSE_SHAPE } from "../src/PairUniverse.js";

function allBytes(options: PostingStreamOptions): Buffer {
  const parts: Buffer[] = [];
  for (const file of generatePostings(options)) {
    parts.push(Buffer.from(`#${file.key}\n`), ...chunked(file.lines()));
  }
  return Buffer.concat(parts);
}

function norm(line: GeneratedLine): string {
  return `${normalizeText(line.company!, "casefold")}\u0000${normalizeText(line.title!, "casefold")}`;
}

describe("generatePostings", () => {
  it("gives identical bytes for one seed, different bytes for another", () => {
    const options = { files: 3, linesPerFile: 2000, badLineShare: 0.05 };
    const a = allBytes({ ...options, seed: 7 });
    expect(allBytes({ ...options, seed: 7 }).equals(a)).toBe(true);
    expect(allBytes({ ...options, seed: 8 }).equals(a)).toBe(false);
  });

  it("keeps the first files when more are asked for, even if a file's lines were skipped", () => {
    const three = allBytes({ seed: 3, files: 3, linesPerFile: 1000 });
    const five = allBytes({ seed: 3, files: 5, linesPerFile: 1000 });
    expect(five.subarray(0, three.length).equals(three)).toBe(true);
    const files = [...generatePostings({ seed: 3, files: 3, linesPerFile: 1000 })]; // lines never read
    expect(files.map((f) => f.key)).toEqual(["1721183940.jsonl", "1721184000.jsonl", "1721184060.jsonl"]);
    const [, , third] = [...generatePostings({ seed: 3, files: 3, linesPerFile: 1000 })];
    const fromSkipping = Buffer.concat([...chunked(third!.lines())]);
    expect(three.toString().endsWith(fromSkipping.toString())).toBe(true);
  });

  it("rejects options out of range with the option's name", () => {
    expect(() => [...generatePostings({ badLineShare: 2 })]).toThrow(
      "generatePostings: badLineShare must be a share in 0..1, got 2",
    );
    expect(() => [...generatePostings({ files: -1 })]).toThrow(
      "generatePostings: files must be an integer ≥ 0, got -1",
    );
  });

  it("names files a minute apart from --start and varies their sizes around the mean", () => {
    const files = [...generatePostings({ seed: 1, files: 200, linesPerFile: 100, start: 1_700_000_000 })];
    expect(files[0]!.key).toBe("1700000000.jsonl");
    expect(files[199]!.key).toBe(`${1_700_000_000 + 199 * 60}.jsonl`);
    const sizes = files.map((f) => f.lineCount);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(150);
    expect(new Set(sizes).size).toBeGreaterThan(50);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(Math.abs(mean - 100)).toBeLessThan(7); // uniform ±50: σ of the mean of 200 ≈ 2
  });

  it("writes SPEC-shaped lines of ~170–250 bytes whose fields parse to the pair it reports", () => {
    const sizes: number[] = [];
    const wrong: string[] = []; // collected, not asserted per line: 10k expect() calls are slow
    for (const file of generatePostings({ seed: 5, files: 4, linesPerFile: 2500 })) {
      for (const line of file.lines()) {
        const text = line.text as string;
        sizes.push(Buffer.byteLength(text));
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const ok =
          line.kind === "good" &&
          Object.keys(parsed).join() === "url,company,title,location,scraped_on" &&
          parsed.company === line.company &&
          parsed.title === line.title &&
          typeof parsed.location === "string" &&
          /^https:\/\/[a-z.]+\/[a-z0-9]+\/jobs\/\d{10}\?gh_src=[0-9a-f]{8}$/.test(String(parsed.url)) &&
          Number(parsed.scraped_on) >= file.timestamp - 60 &&
          Number(parsed.scraped_on) < file.timestamp;
        if (!ok) wrong.push(text);
      }
    }
    expect(wrong).toEqual([]);
    sizes.sort((a, b) => a - b);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(mean).toBeGreaterThan(190);
    expect(mean).toBeLessThan(220);
    expect(sizes[Math.floor(sizes.length * 0.05)]).toBeGreaterThanOrEqual(170);
    expect(sizes[Math.floor(sizes.length * 0.95)]).toBeLessThanOrEqual(250);
  });

  it("carries realistic noise: unicode, quotes and backslashes, \\u escapes, case and spacing variants", () => {
    const byNorm = new Map<string, Set<string>>();
    let unicode = 0;
    let quoted = 0;
    let backslash = 0;
    let asciiEscaped = 0;
    for (const file of generatePostings({ seed: 2, files: 10, linesPerFile: 2000 })) {
      for (const line of file.lines()) {
        const pair = `${line.company}\u0000${line.title}`;
        if (/[^ -~]/.test(pair.replace("\u0000", " "))) unicode += 1; // anything but printable ASCII
        if (pair.includes('"')) quoted += 1;
        if (pair.includes("\\")) backslash += 1;
        if ((line.text as string).includes("\\/")) asciiEscaped += 1;
        const key = norm(line);
        byNorm.set(key, (byNorm.get(key) ?? new Set()).add(pair));
      }
    }
    const variants = [...byNorm.values()].filter((spellings) => spellings.size > 1).length;
    expect(variants).toBeGreaterThan(20);
    expect(unicode).toBeGreaterThan(200);
    expect(quoted).toBeGreaterThan(50);
    expect(backslash).toBeGreaterThan(50);
    expect(asciiEscaped).toBeGreaterThan(200); // ~2% of 20k lines
  });

  it("approaches ~1.1% distinct pairs as the stream grows, with a long tail of pairs seen once", () => {
    // Expected distinct pairs after n lines: r·n + (1 − r)·k·ln(1 + n/k) (r = 0.011, k = 2000),
    // less a few pairs whose strings coincide. For seed 1: 50k lines ≈ 12.9%, 200k lines ≈ 5.66%
    // (measured 5.63%; seeds 2 and 3 gave 5.65% and 5.77%). Bounds: ±8% of the expectation.
    const { newPairShare: r, warmupLines: k } = DEFAULT_UNIVERSE_SHAPE;
    const expected = (n: number): number => (r * n + (1 - r) * k * Math.log(1 + n / k)) / n;
    const counts = new Map<string, number>();
    const exact = new Set<string>();
    let n = 0;
    let at50k = 0;
    for (const file of generatePostings({ seed: 1, files: 40, linesPerFile: 5000 })) {
      for (const line of file.lines()) {
        n += 1;
        exact.add(`${line.company}\u0000${line.title}`);
        const key = norm(line);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (n === 50_000) at50k = counts.size / n;
      }
    }
    const ratio = counts.size / n;
    expect(n).toBeGreaterThan(190_000);
    expect(at50k / expected(50_000)).toBeGreaterThan(0.92);
    expect(at50k / expected(50_000)).toBeLessThan(1.08);
    expect(ratio / expected(n)).toBeGreaterThan(0.92);
    expect(ratio / expected(n)).toBeLessThan(1.08);
    expect(ratio).toBeLessThan(at50k / 2);
    // Exact spellings add the case/spacing variants: a few percent more, not many.
    expect(exact.size / counts.size).toBeGreaterThan(1.02);
    expect(exact.size / counts.size).toBeLessThan(1.2);
    const once = [...counts.values()].filter((c) => c === 1).length;
    expect(once / counts.size).toBeGreaterThan(0.45);
    expect(Math.max(...counts.values()) / n).toBeLessThan(0.01); // no pair dominates
  });

  it("repeats pairs within a file far more than across the stream's distinct ratio suggests", () => {
    const shares: number[] = [];
    let maxRepeat = 0;
    for (const file of generatePostings({ seed: 1, files: 12, linesPerFile: 5500 })) {
      const counts = new Map<string, number>();
      for (const line of file.lines()) counts.set(norm(line), (counts.get(norm(line)) ?? 0) + 1);
      if (file.index >= 2) shares.push(counts.size / file.lineCount); // after the cold start
      maxRepeat = Math.max(maxRepeat, ...counts.values());
    }
    // ~35% of a file's lines are its distinct pairs (measured 0.27–0.45): dedup within a file
    // saves about two calls in three.
    for (const share of shares) expect(share).toBeLessThan(0.5);
    expect(shares.reduce((a, b) => a + b, 0) / shares.length).toBeLessThan(0.42);
    expect(maxRepeat).toBeGreaterThanOrEqual(15);
  });
});
