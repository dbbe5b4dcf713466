import { integer, oneOf } from "@seniority/cli-options";
import { MODEL_IDENTITIES, NORMALIZATION_MODES } from "@seniority/pair-key";
import { L1_KINDS } from "@seniority/seniority-cache";
import type { Option } from "commander";
import { cacheFlag } from "./cacheFlag.js";

/** `cache`'s flags saying how answers are keyed (normalization, namespace) and held in process (L1). */
export function cachingOptions(): Option[] {
  return [
    cacheFlag(
      "--normalization <mode>",
      "how pairs are keyed; cluster also merges spellings of a title (opt-in, docs/title-clustering.md)",
    )
      .choices(NORMALIZATION_MODES)
      .default("standard"),
    cacheFlag(
      "--model-version <version>",
      "namespace of cached answers; change it when the model changes",
    ).default("v1"),
    cacheFlag(
      "--model-identity <identity>",
      "model: the real model; sim: --model is a simulator (its levels get a namespace of their own)",
    )
      .argParser(oneOf(MODEL_IDENTITIES))
      .default("model"),
    cacheFlag("--l1 <kind>", "in-process L1: compact (~23 B an entry, CLOCK) or lru (lru-cache, ~500 B)")
      .choices(L1_KINDS)
      .default("compact"),
    cacheFlag("--l1-entries <n>", "in-process L1 capacity")
      .argParser(integer(1))
      .default(1_000_000, "1000000 entries"),
  ];
}
