import { BAD_LINE_KINDS, buildBadLine, type BadLineKind } from "./buildBadLine.js";
import { buildLocation } from "./buildLocation.js";
import { buildUrl } from "./buildUrl.js";
import { formatPostingLine, joinPostingFields } from "./formatPostingLine.js";
import { DEFAULT_UNIVERSE_SHAPE, PairUniverse, type UniverseShape } from "./PairUniverse.js";
import { Prng } from "./Prng.js";

/** 2024-07-17T02:39:00Z: a fixed default, so the same seed gives the same bytes and file names. */
export const DEFAULT_START = 1721183940;

export interface PostingStreamOptions {
  /** PRNG seed (uint32). Default 1. */
  seed?: number;
  /** Number of minute files. Default 10. */
  files?: number;
  /** Mean lines a file; each file draws its size uniformly from [0.5, 1.5) × this. Default 5500. */
  linesPerFile?: number;
  /** Unix seconds of the first file; file i is named `<start + i·intervalSeconds>.jsonl`. */
  start?: number;
  /** Seconds between files. Default 60. */
  intervalSeconds?: number;
  /** Share 0..1 of lines replaced by a malformed line (kinds drawn uniformly). Default 0. */
  badLineShare?: number;
  /** Size in bytes of "overlong" bad lines; 0 (default) leaves that kind out. */
  overlongBytes?: number;
  /** Share of lines written as their pair's case/spacing variant (one fixed variant a pair). Default 0.01. */
  noiseShare?: number;
  /** Share of good lines written with \uXXXX and \/ escapes. Default 0.02. */
  asciiEscapeShare?: number;
  shape?: UniverseShape;
}

export interface GeneratedLine {
  /** The line without its newline; a Buffer only for invalid UTF-8. */
  text: string | Buffer;
  kind: "good" | BadLineKind;
  /** The pair as written (good lines only). */
  company?: string;
  title?: string;
  /** Good lines: equal ids ⇒ equal (company, title); lets a counter skip re-hashing strings. */
  pairId?: number;
}

export interface GeneratedFile {
  index: number;
  timestamp: number;
  key: string;
  lineCount: number;
  /**
   * The file's lines (once). Read them before asking for the next file: whatever is left unread
   * then is drawn and dropped, so later files never depend on how much of this one was read.
   */
  lines(): Generator<GeneratedLine>;
}

/**
 * The deterministic stream of minute files and their lines. Independent PRNG streams (file
 * sizes, pairs and fields, bad-line choices) keep the output stable: the first files do not
 * change when --files grows, and good lines keep their pairs when --bad-lines changes.
 */
export function* generatePostings(options: PostingStreamOptions = {}): Generator<GeneratedFile> {
  const seed = options.seed ?? 1;
  const files = options.files ?? 10;
  const mean = options.linesPerFile ?? 5500;
  const start = options.start ?? DEFAULT_START;
  const interval = options.intervalSeconds ?? 60;
  const badShare = options.badLineShare ?? 0;
  const overlongBytes = options.overlongBytes ?? 0;
  const noiseShare = options.noiseShare ?? 0.01;
  const asciiShare = options.asciiEscapeShare ?? 0.02;
  check(
    "seed",
    seed,
    Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff,
    "an integer in 0..4294967295",
  );
  check("files", files, Number.isInteger(files) && files >= 0, "an integer ≥ 0");
  check("linesPerFile", mean, Number.isFinite(mean) && mean >= 0, "a number ≥ 0");
  check("badLineShare", badShare, badShare >= 0 && badShare <= 1, "a share in 0..1");
  const kinds = BAD_LINE_KINDS.filter((kind) => kind !== "overlong" || overlongBytes > 0);
  const sizes = new Prng(seed, 7);
  const main = new Prng(seed, 1);
  const bad = new Prng(seed, 9);
  const universe = new PairUniverse(seed, options.shape ?? DEFAULT_UNIVERSE_SHAPE);

  function* fileLines(timestamp: number, lineCount: number): Generator<GeneratedLine> {
    for (let j = 0; j < lineCount; j++) {
      const pair = universe.pairOf(universe.nextIndex(main), main.chance(noiseShare));
      const url = buildUrl(main, pair.slug);
      const location = buildLocation(main);
      // Scraped during the interval before the file was written, in order.
      const scrapedOn = timestamp - interval + Math.floor((j * interval) / lineCount);
      const ascii = main.chance(asciiShare);
      if (badShare > 0 && bad.chance(badShare)) {
        const kind = bad.pick(kinds);
        const posting = { url, company: pair.company, title: pair.title, location, scraped_on: scrapedOn };
        yield { text: buildBadLine(kind, posting, bad, overlongBytes), kind };
      } else {
        const text = ascii
          ? formatPostingLine(
              { url, company: pair.company, title: pair.title, location, scraped_on: scrapedOn },
              true,
            )
          : joinPostingFields(
              `"${url}"`,
              pair.companyJson,
              pair.titleJson,
              JSON.stringify(location),
              scrapedOn,
            );
        yield { text, kind: "good", company: pair.company, title: pair.title, pairId: pair.id };
      }
    }
  }

  for (let index = 0; index < files; index++) {
    const timestamp = start + index * interval;
    const lineCount = Math.round(mean * (0.5 + sizes.float()));
    const lines = fileLines(timestamp, lineCount);
    let handedOut = false;
    yield {
      index,
      timestamp,
      key: `${timestamp}.jsonl`,
      lineCount,
      lines() {
        if (handedOut) throw new Error(`lines of ${timestamp}.jsonl were already asked for`);
        handedOut = true;
        return lines;
      },
    };
    // Lines the caller skipped are still drawn, so the next file is the same either way.
    for (const line of lines) void line;
  }
}

function check(name: string, value: number, ok: boolean, expected: string): void {
  if (!ok) throw new RangeError(`generatePostings: ${name} must be ${expected}, got ${value}`);
}
