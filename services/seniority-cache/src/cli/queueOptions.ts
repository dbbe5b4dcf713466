import { integer } from "@seniority/cli-options";
import type { Option } from "commander";
import { cacheFlag } from "./cacheFlag.js";

/**
 * `cache`'s flags bounding the items waiting for the model, per lane (bulk, interactive), and which
 * requests are interactive. The bounds default from the heap limit (see checkCacheFlags).
 */
export function queueOptions(): Option[] {
  return [
    cacheFlag(
      "--max-queued <n>",
      "bulk items waiting for the model before RESOURCE_EXHAUSTED (default: what the heap limit holds beside L1)",
    ).argParser(integer(1)),
    cacheFlag(
      "--max-queued-interactive <n>",
      "interactive items waiting for the model, a bound of their own (default: a tenth of --max-queued, at least --max-batch)",
    ).argParser(integer(1)),
    cacheFlag("--interactive-max-items <n>", "requests this small go ahead of bulk work")
      .argParser(integer(0))
      .default(100, "100 items"),
  ];
}
