import { LRUCache } from "lru-cache";
import pLimit from "p-limit";
import type { ListedObject, ObjectStore } from "@seniority/object-store";
import type { CheckpointWriter } from "./CheckpointWriter.js";
import { isOutputCurrent } from "../file/isOutputCurrent.js";

/** Only these keys are inputs. */
export const INPUT_SUFFIX = ".jsonl";

/** Keys remembered as done beyond the watermark (while an earlier file keeps failing). */
const KNOWN_DONE_ENTRIES = 100_000;
/** Listed keys held at once: one page (S3 lists 1000 a page). */
export const DEFAULT_SCAN_PAGE_KEYS = 1000;

export interface ScanPage {
  /** Input files of this page without a matching output, oldest (smallest name) first. */
  pending: ListedObject[];
  /** Files of this page found done by the scan, not reported by an earlier one. */
  newlyDone: string[];
}

/** The page being processed: its keys in order, and how many from the start are done. */
interface Page {
  keys: string[];
  index: Map<string, number>;
  done: boolean[];
  frontier: number;
}

export interface PendingScannerOptions {
  startAfter?: string;
  headConcurrency?: number;
  /** Default DEFAULT_SCAN_PAGE_KEYS. */
  pageKeys?: number;
  /** The cache namespace outputs must carry to be done (isOutputCurrent). */
  namespace?: string;
  /** Told every advance of the watermark (to persist it: a CheckpointWriter); read by the caller beforehand. */
  checkpoint?: Pick<CheckpointWriter, "update">;
}

/**
 * Finds the input files still to do, a page of listed keys at a time: `*.jsonl` keys whose output
 * is missing, carries another `source-etag` or another `cache-namespace` (isOutputCurrent; one HEAD
 * of the output each, at most `headConcurrency` at once; the input's etag is read only when an
 * output exists to compare). Memory is one page, however long the backlog: the next page is listed
 * only when the caller asks for it, after processing this one.
 *
 * It keeps a watermark: the last key such that it and every key before it are done (found done,
 * or marked done by the caller as files finish, in any order). Each scan lists only after it, so a
 * failed file is listed (and retried) again and again and the watermark never passes it; keys
 * found done beyond it are remembered (bounded LRU) so they are not HEADed on every poll. Assumes
 * new files get names sorting after old ones (the scraper's unix-timestamp names do): a file that
 * appears late with a name before the watermark is found only by a full scan (`--rescan`).
 */
export class PendingScanner {
  private watermark: string | undefined;
  private readonly knownDone = new LRUCache<string, true>({ max: KNOWN_DONE_ENTRIES });
  private readonly headConcurrency: number;
  private readonly pageKeys: number;
  private readonly checkpoint: Pick<CheckpointWriter, "update"> | undefined;
  private page: Page | undefined;
  // False once a key of this scan stays not done: the watermark stops before it.
  private contiguous = true;

  constructor(
    private readonly input: ObjectStore,
    private readonly output: ObjectStore,
    options: PendingScannerOptions = {},
  ) {
    this.watermark = options.startAfter;
    this.headConcurrency = options.headConcurrency ?? 16;
    this.pageKeys = options.pageKeys ?? DEFAULT_SCAN_PAGE_KEYS;
    this.checkpoint = options.checkpoint;
    this.namespace = options.namespace;
  }

  /** The cache namespace outputs must carry to be done (see isOutputCurrent). */
  private readonly namespace: string | undefined;

  /** The last key known done with everything before it (undefined: none yet). */
  get lastDoneKey(): string | undefined {
    return this.watermark;
  }

  /** Resumes after `key` (a checkpoint) when it is beyond the watermark. */
  resumeAfter(key: string): void {
    if (this.watermark === undefined || key > this.watermark) this.watermark = key;
  }

  /** Records a file processed by the caller: the watermark may pass it, the next scan need not HEAD it. */
  markDone(key: string): void {
    const page = this.page;
    const index = page?.index.get(key);
    if (!page || index === undefined) {
      this.knownDone.set(key, true);
      return;
    }
    page.done[index] = true;
    this.advance(page);
  }

  /**
   * The pending files after the watermark, a page at a time. Process a page's files (markDone
   * each that finishes) before asking for the next: asking settles the page (keys beyond one
   * still not done are remembered as done, so the watermark stays behind that one).
   */
  async *scan(signal?: AbortSignal): AsyncGenerator<ScanPage> {
    this.contiguous = true;
    let keys: ListedObject[] = [];
    try {
      for await (const object of this.input.list({
        ...(this.watermark !== undefined ? { startAfter: this.watermark } : {}),
        ...(signal ? { signal } : {}),
      })) {
        keys.push(object);
        if (keys.length < this.pageKeys) continue;
        yield await this.check(keys, signal);
        this.settle();
        keys = [];
      }
      if (keys.length > 0) {
        yield await this.check(keys, signal);
        this.settle();
      }
    } finally {
      this.page = undefined;
    }
  }

  /** HEADs the outputs of a listed page; the page becomes the one markDone() advances through. */
  private async check(listed: ListedObject[], signal?: AbortSignal): Promise<ScanPage> {
    const limit = pLimit(this.headConcurrency);
    const done = await Promise.all(
      listed.map((object) =>
        !object.key.endsWith(INPUT_SUFFIX) || this.knownDone.has(object.key)
          ? true // non-inputs and known-done keys count as done
          : limit(() => this.isDone(object, signal)),
      ),
    );
    const pending: ListedObject[] = [];
    const newlyDone: string[] = [];
    listed.forEach((object, index) => {
      if (!done[index]) pending.push(object);
      else if (object.key.endsWith(INPUT_SUFFIX) && !this.knownDone.has(object.key))
        newlyDone.push(object.key);
    });
    const keys = listed.map((object) => object.key);
    this.page = { keys, index: new Map(keys.map((key, i) => [key, i])), done, frontier: 0 };
    this.advance(this.page);
    return { pending, newlyDone };
  }

  /** Done: the output exists, names the input's current etag and the namespace asked for. */
  private async isDone(object: ListedObject, signal?: AbortSignal): Promise<boolean> {
    const made = await this.output.head(object.key, signal);
    if (made === undefined) return false;
    const etag = object.etag ?? (await this.input.head(object.key, signal))?.etag;
    return etag !== undefined && isOutputCurrent(made, etag, this.namespace);
  }

  /** Moves the watermark over the page's done keys, in order, while nothing before them is not done. */
  private advance(page: Page): void {
    if (!this.contiguous) return;
    const start = page.frontier;
    while (page.frontier < page.keys.length && page.done[page.frontier]) page.frontier++;
    if (page.frontier === start) return;
    this.watermark = page.keys[page.frontier - 1];
    for (let i = start; i < page.frontier; i++) this.knownDone.delete(page.keys[i]!); // lists start after it
    this.checkpoint?.update(this.watermark!);
  }

  /** End of a page: what is still not done holds the watermark for the rest of this scan. */
  private settle(): void {
    const page = this.page;
    if (!page) return;
    if (page.frontier < page.keys.length) this.contiguous = false;
    for (let i = page.frontier; i < page.keys.length; i++)
      if (page.done[i]) this.knownDone.set(page.keys[i]!, true);
    this.page = undefined;
  }
}
