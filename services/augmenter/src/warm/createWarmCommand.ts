import { addDialTlsFlags, dialAddress, integer, number } from "@seniority/cli-options";
import { MAX_BATCH_SIZE } from "@seniority/seniority-model";
import { Command, Option } from "commander";
import { boolFlag } from "../cli/boolFlag.js";
import { s3CliOptions, type S3CliValues } from "../cli/s3CliOptions.js";
import { runWarmCommand } from "./runWarmCommand.js";

/** Default --rate: a fifth of the model's ~1,000 items/s, so live traffic keeps the rest. */
export const DEFAULT_WARM_RATE = 200;

/** The parsed flags of `seniority warm`. */
export interface WarmFlags extends S3CliValues {
  proxy: string;
  rate: number;
  top: number;
  minCount: number;
  counters: number;
  batch: number;
  checkpoint?: string;
  progress?: boolean;
}

const flag = (name: string, help: string): Option =>
  new Option(name, help).env(
    `SENIORITY_WARM_${name.slice(2).split(" ")[0]!.replaceAll("-", "_").toUpperCase()}`,
  );

/**
 * `seniority warm <location> --proxy host:port`: counts the (company, title) pairs of historical
 * postings in bounded memory and asks the caching proxy for the most frequent ones in the bulk
 * lane, at most --rate items a second, so they are cached before live traffic asks. Pairs the
 * proxy has cached cost no model call. Resumable with --checkpoint. Prints a JSON summary.
 */
export function createWarmCommand(): Command {
  const command = new Command("warm")
    .description(
      "Warm the caching proxy with the most frequent pairs of past postings (bulk lane, rate-capped)",
    )
    .argument(
      "<location>",
      "postings: a JSONL or CSV file or directory, s3://bucket/prefix/ or s3://bucket/key.jsonl",
    );
  const options = [
    flag("--proxy <host:port>", "the caching proxy (gRPC; https://host:port: TLS)")
      .argParser(dialAddress)
      .makeOptionMandatory(),
    flag("--rate <items/s>", "pairs sent per second at most (keep it well below the model's capacity)")
      .argParser(number(1, 1_000_000))
      .default(DEFAULT_WARM_RATE, `${DEFAULT_WARM_RATE} pairs/s`),
    flag("--top <n>", "most frequent pairs to warm at most")
      .argParser(integer(1))
      .default(100_000, "100000 pairs"),
    flag("--min-count <n>", "warm only pairs seen at least this often (surely, past the counter bound)")
      .argParser(integer(1))
      .default(2, "2 lines"),
    flag("--counters <n>", "distinct pairs counted at most (the memory bound, ~300 B a pair; ≥ --top)")
      .argParser(integer(1, 100_000_000))
      .default(500_000, "500000 pairs"),
    flag("--batch <n>", "pairs a call carries at most")
      .argParser(integer(1, MAX_BATCH_SIZE))
      .default(MAX_BATCH_SIZE, `${MAX_BATCH_SIZE} pairs`),
    flag("--checkpoint <file>", "record the plan and progress here; a rerun with the same settings resumes"),
    boolFlag("--progress", "progress bar on stderr (default: on a terminal)", "SENIORITY_WARM_PROGRESS"),
  ];
  for (const option of options) command.addOption(option);
  addDialTlsFlags(command, "proxy", "SENIORITY_WARM");
  for (const option of s3CliOptions()) command.addOption(option);
  return command.action(async (location: string, flags: WarmFlags) => {
    await runWarmCommand(command, location, flags);
  });
}
