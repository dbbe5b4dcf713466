import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import type { SeniorityPair } from "@seniority/seniority-model";
import { splitLines } from "../jsonl/splitLines.js";
import { MAX_PAIR_BYTES, parseLine } from "../parse/parseLine.js";

/** Lines longer than this are counted as bad (1 MiB: far above any posting). */
export const WARM_MAX_LINE_BYTES = 1_048_576;

/** How a posting file is read: by its name's extension. */
export type PostingFormat = "jsonl" | "csv";

/** The format of `key`, or undefined for a file warm does not read (.jsonl/.ndjson/.json, .csv). */
export function postingFormat(key: string): PostingFormat | undefined {
  if (/\.(jsonl|ndjson|json)$/i.test(key)) return "jsonl";
  if (/\.csv$/i.test(key)) return "csv";
  return undefined;
}

/** Lines of one file that gave no pair. */
export interface BadLines {
  bad: number;
}

/**
 * The (company, title) of every good posting in `body`. JSONL lines are judged exactly as the
 * augmenter judges them (parseLine: a JSON object with string company and title, well-formed,
 * not too long); a CSV needs a header row naming `company` and `title` columns (others are
 * ignored), and a row with either missing, empty, ill-formed or too long is bad. Bad lines are
 * counted in `tally`. A CSV the parser cannot read past (an unclosed quote) throws: csv-parse
 * cannot resynchronise after one, so skipping it would drop the rest of the file unseen. A stray
 * quote inside an unquoted field is read as a character (relax_quotes).
 */
export async function* readPostingPairs(
  body: Readable,
  format: PostingFormat,
  tally: BadLines,
): AsyncGenerator<SeniorityPair> {
  if (format === "jsonl") {
    for await (const line of splitLines(body, { maxLineBytes: WARM_MAX_LINE_BYTES })) {
      const parsed = parseLine(line, WARM_MAX_LINE_BYTES);
      if (parsed.ok) yield parsed.pair;
      else tally.bad++;
    }
    return;
  }
  const rows = body.pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true }),
  );
  let checked = false;
  for await (const row of rows as AsyncIterable<Record<string, unknown>>) {
    if (!checked) {
      checked = true;
      if (!("company" in row) || !("title" in row)) {
        rows.destroy();
        throw new Error('a CSV needs a header row with "company" and "title" columns');
      }
    }
    const { company, title } = row;
    if (
      goodField(company) &&
      goodField(title) &&
      Buffer.byteLength(company) + Buffer.byteLength(title) <= MAX_PAIR_BYTES
    ) {
      yield { company, title };
    } else tally.bad++;
  }
}

function goodField(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.isWellFormed();
}
