import { LRUCache } from "lru-cache";
import pLimit from "p-limit";
import type { ListedObject, ObjectStore } from "@seniority/object-store";
import { isOutputCurrent } from "./isOutputCurrent.js";

/** Only these keys are inputs. */
export const INPUT_SUFFIX = ".jsonl";

/** Keys remembered as done beyond the watermark (while an earlier file keeps failing). */
const KNOWN_DONE_ENTRIES = 100_000;

export interface ScanResult {
  /** Input files without a matching output, oldest (smallest name) first. */
  pending: ListedObject[];
  /** Files found done by this scan, not reported by an earlier one. */
  newlyDone: string[];
}

/**
 * Finds the input files still to do: listed `*.jsonl` keys whose output is missing, carries another
 * `source-etag` or another `cache-namespace` (isOutputCurrent; one HEAD of the output each, at most
 * `headConcurrency` at once).
 *
 * For polling, it keeps a watermark: the last key such that it and every key before it are done.
 * Each scan lists only after the watermark, so a failed file is listed (and retried) again and
 * again, and the watermark never passes it; keys found done beyond it are remembered (bounded LRU)
 * so they are not HEADed on every poll. Assumes new files get names sorting after old ones
 * (the scraper's unix-timestamp names do).
 */
export class PendingScanner {
  private watermark: string | undefined;
  private readonly knownDone = new LRUCache<string, true>({ max: KNOWN_DONE_ENTRIES });

  constructor(
    private readonly input: ObjectStore,
    private readonly output: ObjectStore,
    options: { startAfter?: string; headConcurrency?: number; namespace?: string } = {},
  ) {
    this.watermark = options.startAfter;
    this.headConcurrency = options.headConcurrency ?? 16;
    this.namespace = options.namespace;
  }

  private readonly headConcurrency: number;
  /** The cache namespace outputs must carry to be done (see isOutputCurrent). */
  private readonly namespace: string | undefined;

  /** The last key known done with everything before it (undefined: none yet). */
  get lastDoneKey(): string | undefined {
    return this.watermark;
  }

  /** Records a file processed by the caller, so the next scan need not HEAD it. */
  markDone(key: string): void {
    this.knownDone.set(key, true);
  }

  async scan(signal?: AbortSignal): Promise<ScanResult> {
    const listed: ListedObject[] = [];
    for await (const object of this.input.list({
      ...(this.watermark !== undefined ? { startAfter: this.watermark } : {}),
      ...(signal ? { signal } : {}),
    })) {
      listed.push(object);
    }
    const limit = pLimit(this.headConcurrency);
    const done = await Promise.all(
      listed.map((object) =>
        !object.key.endsWith(INPUT_SUFFIX) || this.knownDone.has(object.key)
          ? undefined
          : limit(async () =>
              isOutputCurrent(await this.output.head(object.key, signal), object.etag, this.namespace),
            ),
      ),
    );
    const pending: ListedObject[] = [];
    const newlyDone: string[] = [];
    let contiguous = true;
    listed.forEach((object, index) => {
      const isDone = done[index] ?? true; // non-inputs and known-done keys count as done
      if (done[index] === true) newlyDone.push(object.key);
      if (!isDone) {
        pending.push(object);
        contiguous = false;
      } else if (contiguous) {
        this.watermark = object.key;
        this.knownDone.delete(object.key); // lists start after it from now on
      } else {
        this.knownDone.set(object.key, true);
      }
    });
    return { pending, newlyDone };
  }
}
