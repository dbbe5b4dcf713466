import type { StoreEntry } from "../stores/Store.js";
import { AnswersFormatError, parseBody, parseHeader, type AnswersHeader } from "./AnswersFormat.js";

/**
 * Reads an export file line by line (AnswersFormat): header() first, then batches() of checked
 * entries. batches() throws AnswersFormatError at the first bad line, and at the end when the
 * trailer is missing (a cut file) or counts otherwise — after yielding the batches before it.
 */
export class AnswersReader {
  private readonly lines: AsyncIterator<string>;
  private line = 0;

  constructor(lines: AsyncIterable<string>) {
    this.lines = lines[Symbol.asyncIterator]();
  }

  async header(): Promise<AnswersHeader> {
    const first = await this.lines.next();
    this.line = 1;
    return parseHeader(first.done ? undefined : first.value);
  }

  async *batches(size: number): AsyncGenerator<StoreEntry[]> {
    let batch: StoreEntry[] = [];
    let count = 0;
    let ended = false;
    for (;;) {
      const next = await this.lines.next();
      if (next.done) break;
      this.line++;
      if (ended) {
        if (next.value.trim() === "") continue;
        throw new AnswersFormatError(this.line, "a line after the trailer");
      }
      const parsed = parseBody(next.value, this.line);
      if ("end" in parsed) {
        if (parsed.end !== count) {
          throw new AnswersFormatError(
            this.line,
            `the trailer counts ${parsed.end} answers, the file holds ${count}`,
          );
        }
        ended = true;
        continue;
      }
      batch.push(parsed);
      count++;
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    if (!ended) throw new AnswersFormatError(this.line, "the file ends without its trailer (cut short?)");
  }
}
