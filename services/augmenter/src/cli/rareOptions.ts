import { integer, oneOf } from "@seniority/cli-options";
import { Option } from "commander";
import { boolFlag } from "./boolFlag.js";
import { DEFAULT_RARE_MAX_PAIRS, DEFAULT_RARE_MIN_COUNT } from "../rare/RarePairPolicy.js";
import { rareWindowFlag } from "./rareWindowFlag.js";

/**
 * `augment`'s rare-pair flags (issue #14.3): `--rare-pairs defer` and its tuning, and the
 * `--backfill-pending` mode. The tuning flags have no commander default, so giving one without
 * `--rare-pairs defer` is refused by name (checkAugmentFlags); augmenterOptions fills the defaults.
 */
export function rareOptions(): Option[] {
  return [
    new Option(
      "--rare-pairs <policy>",
      'defer: a pair seen in fewer than --rare-min-count files within --rare-window gets "seniority": null until the backfill',
    )
      .env("SENIORITY_RARE_PAIRS")
      .argParser(oneOf(["off", "defer"] as const))
      .default("off"),
    new Option(
      "--rare-min-count <n>",
      `with --rare-pairs defer: files a pair must be seen in to be inferred at once (default: ${DEFAULT_RARE_MIN_COUNT})`,
    )
      .env("SENIORITY_RARE_MIN_COUNT")
      .argParser(integer(2, 1_000_000)),
    new Option(
      "--rare-window <window>",
      "with --rare-pairs defer: a duration of the stream (file names' timestamps), e.g. 1h, or a file count, e.g. 60files (default: 1h)",
    )
      .env("SENIORITY_RARE_WINDOW")
      .argParser(rareWindowFlag),
    new Option(
      "--rare-max-pairs <n>",
      `with --rare-pairs defer: pairs counted in the window at most; beyond, pairs are inferred at once (default: ${DEFAULT_RARE_MAX_PAIRS})`,
    )
      .env("SENIORITY_RARE_MAX_PAIRS")
      .argParser(integer(1, 100_000_000)),
    boolFlag(
      "--backfill-pending",
      "rewrite every file the rare-pair queue (_rare-pending/ in --output) holds with all its levels, then exit",
      "SENIORITY_BACKFILL_PENDING",
    ),
  ];
}
