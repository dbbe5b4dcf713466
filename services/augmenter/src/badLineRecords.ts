import { parseLine } from "./parseLine.js";
import { splitLines } from "./splitLines.js";

/** One line of the errors object (JSONL). `raw` is the line's first 1 KiB. */
export interface BadLineRecord {
  file: string;
  line: number;
  reason: string;
  raw: string;
}

export interface LineCounts {
  linesIn: number;
  linesBad: number;
}

/**
 * Pass 1 of a file: classifies every line and yields the errors object's JSONL, one record per
 * bad line, in line order. `counts` is filled as it goes (final once the generator ends).
 */
export async function* badLineRecords(
  source: AsyncIterable<Buffer>,
  file: string,
  maxLineBytes: number,
  counts: LineCounts,
): AsyncGenerator<Buffer> {
  let pending: string[] = [];
  for await (const raw of splitLines(source, { maxLineBytes })) {
    counts.linesIn++;
    const parsed = parseLine(raw, maxLineBytes);
    if (parsed.ok) continue;
    counts.linesBad++;
    const record: BadLineRecord = { file, line: parsed.number, reason: parsed.reason, raw: parsed.raw };
    pending.push(JSON.stringify(record) + "\n");
    // Small writes are merged; a record is at most ~6 KiB (1 KiB of raw, escaped).
    if (pending.length >= 256) {
      yield Buffer.from(pending.join(""));
      pending = [];
    }
  }
  if (pending.length > 0) yield Buffer.from(pending.join(""));
}
