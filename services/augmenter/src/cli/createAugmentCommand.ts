import { addDialTlsFlags, durationMs, port } from "@seniority/cli-options";
import { Command, Option } from "commander";
import type { AugmentCommandDeps, AugmentFlags } from "./AugmentFlags.js";
import { boolFlag } from "./boolFlag.js";
import { leaseOptions } from "./leaseOptions.js";
import { locationOptions } from "./locationOptions.js";
import { rareOptions } from "./rareOptions.js";
import { runAugmentCommand } from "./runAugmentCommand.js";
import { s3CliOptions } from "./s3CliOptions.js";
import { tuningOptions } from "./tuningOptions.js";

/**
 * `seniority augment`: `--once` (drain what is pending, exit 1 naming failed files), `--watch`
 * (poll until SIGTERM/SIGINT, then drain within --grace and exit 0), `--backfill-pending` (rewrite
 * the files the rare-pair queue holds) or one file given as a URI.
 * Every flag also reads a SENIORITY_* variable; S3 settings also come from the standard AWS ones.
 * The flags come in this order in --help: locations, mode, tuning, rare pairs, leases, the run's own,
 * TLS, S3.
 * `deps.startSimulator` backs `--model sim` (the full CLI injects model-sim; the container entry does not).
 */
export function createAugmentCommand(deps: AugmentCommandDeps = {}): Command {
  const command = new Command("augment")
    .description("Add seniority levels to JSONL job postings (S3 or a directory), exactly once in effect")
    .argument("[file]", "one input file to augment (s3://bucket/prefix/name.jsonl, file:// URI or path)");
  const options = [
    ...locationOptions(),
    boolFlag("--once", "process every pending file, oldest first, then exit", "SENIORITY_ONCE"),
    boolFlag("--watch", "keep polling for new files until SIGTERM", "SENIORITY_WATCH"),
    new Option("--interval <duration>", "poll interval in --watch")
      .env("SENIORITY_INTERVAL")
      .argParser(durationMs)
      .default(30_000, "30s"),
    ...tuningOptions(),
    ...rareOptions(),
    ...leaseOptions(),
    new Option("--start-after <key>", "ignore input keys up to and including this one").env(
      "SENIORITY_START_AFTER",
    ),
    boolFlag(
      "--rescan",
      "ignore the checkpoint (_checkpoint.json in --output): verify every input against its output",
      "SENIORITY_RESCAN",
    ),
    new Option("--http-port <port>", "serve /metrics, /healthz, /readyz (default: off)")
      .env("SENIORITY_HTTP_PORT")
      .argParser(port),
    boolFlag(
      "--progress",
      "progress bar on stderr (default: with --once on a terminal)",
      "SENIORITY_PROGRESS",
    ),
  ];
  for (const option of options) command.addOption(option);
  addDialTlsFlags(command, "proxy", "SENIORITY");
  addDialTlsFlags(command, "model", "SENIORITY");
  for (const option of s3CliOptions()) command.addOption(option);
  return command.action(async (file: string | undefined, flags: AugmentFlags) => {
    await runAugmentCommand(command, file, flags, deps);
  });
}
