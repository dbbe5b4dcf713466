import { once } from "node:events";
import type { StoreEntrySource } from "../stores/StoreEntrySource.js";
import { entryLine, headerLine, trailerLine } from "./AnswersFormat.js";

export interface ExportAnswersOptions {
  /** Named in the header; the namespace `source` was opened on. */
  namespace: string;
  /** Entries read (and written) at a time (default the store's, 1000). */
  batchSize?: number;
  signal?: AbortSignal;
}

/**
 * Writes every answer of `source` to `out` in the export format (AnswersFormat): header, one line
 * an answer, trailer. A batch at a time, waiting for `out` to drain, so memory stays bounded by a
 * batch whatever the store holds. Resolves to the answers written; `out` is left open.
 */
export async function exportAnswers(
  source: StoreEntrySource,
  out: NodeJS.WritableStream,
  options: ExportAnswersOptions,
): Promise<{ entries: number }> {
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, "drain", options.signal ? { signal: options.signal } : {});
  };
  await write(headerLine({ namespace: options.namespace, keyForm: source.keyForm }));
  let entries = 0;
  const listing = source.entries({
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  for await (const batch of listing) {
    await write(batch.map(entryLine).join(""));
    entries += batch.length;
  }
  await write(trailerLine(entries));
  return { entries };
}
