import type { SampleInfo } from "./prepareSample.js";

/** What one demo run did: printed as text, or as JSON with --json. Counts are exact. */
export interface DemoReport {
  /** Absolute paths of the demo folder and its parts. */
  folders: { root: string; raw: string; mod: string; errors: string };
  /** The cache's store spec, e.g. "lmdb:./.seniority/cache". */
  store: string;
  /** The sample as generated (or reused). */
  sample: SampleInfo;
  /** What the in-process model-sim was asked (its own counters). */
  model: {
    address: string;
    /** Items a second. */
    capacity: number;
    inferences: number;
    batches: number;
    /** inferences / batches (0 with no batch). */
    meanBatchSize: number;
    /** Items inferred more than once (0 unless something is wrong). */
    duplicateInferences: number;
  };
  /**
   * The embedded cache: distinct (normalized) pairs of each request the augmenter made, and the
   * tier that answered them (seniority_cache_lookups_total); the rest waited for the model.
   */
  cache: {
    lookups: number;
    l1Hits: number;
    storeHits: number;
    /** (l1Hits + storeHits) / lookups; 0 with no lookup. */
    hitRatio: number;
  };
  /** The augmenter's run over raw/ (this run only). */
  augment: {
    files: number;
    failedFiles: string[];
    linesIn: number;
    linesOut: number;
    linesBad: number;
    /** Distinct pairs of a chunk the augmenter's own LRU did not know, sent to the cache. */
    pairsRequested: number;
    /** Distinct pairs of a chunk answered by the augmenter's own LRU. */
    localCacheHits: number;
    /** Wall time of the augmenter run, seconds. */
    seconds: number;
    linesPerSecond: number;
  };
  /** High-water mark of this process's resident set (process.resourceUsage().maxRSS), bytes. */
  peakRssBytes: number;
  /** The first line of the first output file, or null when there is none. */
  sampleLine: string | null;
}
