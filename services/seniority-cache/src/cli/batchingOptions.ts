import { boolean, integer, number } from "@seniority/cli-options";
import {
  DEFAULT_BULK_SLICE_MS,
  DEFAULT_PACE_LEAD_MS,
  DEFAULT_PACE_MARGIN_MS,
} from "@seniority/seniority-cache";
import type { Option } from "commander";
import { cacheFlag } from "./cacheFlag.js";

/**
 * `cache`'s flags saying how misses go to the model: batch size and wait, batches in flight, and the
 * rate the model is paced to (alone or with the other replicas on one Redis).
 */
export function batchingOptions(): Option[] {
  return [
    cacheFlag("--max-batch <n>", "items per model batch")
      .argParser(integer(1, 1_000_000))
      .default(1000, "1000 items"),
    cacheFlag("--max-delay-ms <ms>", "longest wait for a batch to fill")
      .argParser(number(0, 60_000))
      .default(5, "5 ms"),
    cacheFlag("--max-in-flight <n>", "model batches in flight at once")
      .argParser(integer(1, 1000))
      .default(2, "2 batches"),
    cacheFlag(
      "--bulk-slice-ms <ms>",
      "while interactive requests come, a bulk batch holds at most this much of the model's time " +
        "(at --model-capacity): an interactive miss waits behind no more (1000: full batches always)",
    )
      .argParser(integer(1, 60_000))
      .default(DEFAULT_BULK_SLICE_MS, `${DEFAULT_BULK_SLICE_MS} ms`),
    cacheFlag("--model-capacity <items/s>", "items a second the model is sent, at most")
      .argParser(number(1))
      .default(1000, "1000 items/s"),
    cacheFlag(
      "--pace-margin-ms <ms>",
      "slack added to the 1-second pacing window (each batch counts at the latest moment it can " +
        "have reached the model: only timers need slack)",
    )
      .argParser(number(0, 1000))
      .default(DEFAULT_PACE_MARGIN_MS, `${DEFAULT_PACE_MARGIN_MS} ms`),
    cacheFlag(
      "--pace-lead-ms <ms>",
      "a batch may leave this long before the model should finish the previous one (keeps it busy)",
    )
      .argParser(number(0, 999))
      .default(DEFAULT_PACE_LEAD_MS, `${DEFAULT_PACE_LEAD_MS} ms`),
    cacheFlag(
      "--shared-pacing [bool]",
      "with Redis: replicas on one Redis pace the model together, in Redis (false: each alone)",
    )
      .preset("true")
      .argParser(boolean)
      .default(true),
    cacheFlag(
      "--replicas-hint <n>",
      "replicas sharing the model, at least; while Redis is down each paces itself at capacity / max(n, replicas seen on Redis)",
    )
      .argParser(integer(1, 10_000))
      .default(1, "1 replica"),
  ];
}
