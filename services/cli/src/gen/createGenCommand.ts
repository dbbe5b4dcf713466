import { s3CliOptions, s3OptionsFromCli, type S3CliValues } from "@seniority/augmenter";
import { integer, number } from "@seniority/cli-options";
import { DEFAULT_START, formatSummary, generate } from "@seniority/datagen";
import { Command, Option } from "commander";
import { locationArg } from "./locationArg.js";

interface GenFlags extends S3CliValues {
  output: string;
  files: number;
  lines: number;
  seed: number;
  start: number;
  badLines: number;
  overlongBytes: number;
  json: boolean;
}

/** `seniority gen`: writes deterministic minute files of job postings to a directory or S3. */
export function createGenCommand(): Command {
  const command = new Command("gen")
    .description(
      "Generate job-posting minute files (<unix-seconds>.jsonl) into a directory or s3://bucket/prefix/",
    )
    .addOption(
      new Option("--output <location>", "directory, file:///dir or s3://bucket/prefix/")
        .env("SENIORITY_GEN_OUTPUT")
        .argParser(locationArg)
        .default("data/job-postings-raw/"),
    )
    .addOption(
      new Option("--files <n>", "number of minute files")
        .env("SENIORITY_GEN_FILES")
        .argParser(integer(0))
        .default(10, "10 files"),
    )
    .addOption(
      new Option("--lines <n>", "mean lines a file (each file: 0.5–1.5 × this)")
        .env("SENIORITY_GEN_LINES")
        .argParser(integer(0))
        .default(5500, "5500 lines"),
    )
    .addOption(
      new Option("--seed <n>", "PRNG seed: the same seed writes the same bytes")
        .env("SENIORITY_GEN_SEED")
        .argParser(integer(0, 0xffffffff))
        .default(1),
    )
    .addOption(
      new Option("--start <unix-seconds>", "timestamp of the first file; the next ones follow a minute apart")
        .env("SENIORITY_GEN_START")
        .argParser(integer(0, 99_999_999_999))
        .default(DEFAULT_START, `${DEFAULT_START} (unix seconds)`),
    )
    .addOption(
      new Option(
        "--bad-lines <share>",
        "share 0..1 of malformed lines (not JSON, truncated, array, no company, …)",
      )
        .env("SENIORITY_GEN_BAD_LINES")
        .argParser(number(0, 1))
        .default(0, "0 (none)"),
    )
    .addOption(
      new Option("--overlong-bytes <n>", "size of 'overlong' bad lines; 0 leaves that kind out")
        .env("SENIORITY_GEN_OVERLONG_BYTES")
        .argParser(integer(0, 64 * 1024 * 1024))
        .default(0, "0 bytes (none)"),
    )
    .addOption(new Option("--json", "print the summary as JSON").env("SENIORITY_GEN_JSON").default(false));
  for (const option of s3CliOptions()) command.addOption(option);
  return command.action(async (flags: GenFlags) => {
    let summary;
    try {
      summary = await generate({
        output: flags.output,
        s3: s3OptionsFromCli(flags),
        files: flags.files,
        linesPerFile: flags.lines,
        seed: flags.seed,
        start: flags.start,
        badLineShare: flags.badLines,
        overlongBytes: flags.overlongBytes,
      });
    } catch (error) {
      // A failure while writing (unreachable S3, a full disk): one line, exit code 1, no stack.
      process.stderr.write(`gen: ${(error as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write((flags.json ? JSON.stringify(summary) : formatSummary(summary)) + "\n");
  });
}
