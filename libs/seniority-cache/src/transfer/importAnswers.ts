import type { Store } from "../stores/Store.js";
import { DEFAULT_ENTRIES_BATCH, keyFormsMatch, type StoreEntrySource } from "../stores/StoreEntrySource.js";
import type { AnswersHeader } from "./AnswersFormat.js";
import type { AnswersReader } from "./AnswersReader.js";

/** An import stopped part-way: `written` answers reached the store before `cause`. */
export class ImportFailedError extends Error {
  override readonly name = "ImportFailedError";
  constructor(
    readonly written: number,
    cause: Error,
  ) {
    super(
      `${cause.message} (${written === 1 ? "1 answer was" : `${written} answers were`} written before it)`,
      {
        cause,
      },
    );
  }
}

/**
 * Writes the answers `reader` holds (its header already read) into `target`, `batchSize` at a
 * time (one setMany each; default 1000). Refuses before writing anything when the file's keys do
 * not fit the target (compact-layout stand-ins into anything but a compact layout of the same
 * bucket count). Every line is checked (key shape, level 1..7) before its batch is written, so a
 * bad line stops the import with the batches before it written: ImportFailedError says how many.
 */
export async function importAnswers(
  reader: AnswersReader,
  header: AnswersHeader,
  target: Store & StoreEntrySource,
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<{ entries: number }> {
  const from = header.keyForm;
  if (!keyFormsMatch(from, target.keyForm)) {
    const buckets = from.kind === "compact" ? from.buckets : 0;
    throw new Error(
      `the file holds compact-layout answers (bucket and 8-byte field of ${buckets} buckets; the pair keys ` +
        `are not stored), which only a Redis compact layout with --redis-buckets ${buckets} can take; ` +
        `the target is ${target.kind}`,
    );
  }
  let entries = 0;
  try {
    for await (const batch of reader.batches(options.batchSize ?? DEFAULT_ENTRIES_BATCH)) {
      options.signal?.throwIfAborted();
      await target.setMany(batch);
      entries += batch.length;
    }
  } catch (error) {
    throw new ImportFailedError(entries, error as Error);
  }
  return { entries };
}
