import { Augmenter } from "./Augmenter.js";
import type { RunAugmenterOptions } from "./RunAugmenterOptions.js";
import type { RunSummaryJson } from "./RunSummary.js";

/**
 * One run of the augmenter (see Augmenter): resolves with the run's summary. Bad options reject
 * (never throw synchronously).
 */
export async function runAugmenter(options: RunAugmenterOptions): Promise<RunSummaryJson> {
  return new Augmenter(options).run();
}
