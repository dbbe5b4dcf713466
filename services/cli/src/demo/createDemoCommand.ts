import { boolean, EXIT_USAGE, integer, number } from "@seniority/cli-options";
import { DEFAULT_SIM_CAPACITY } from "@seniority/augmenter";
import { createLogger, redactUrls } from "@seniority/telemetry";
import { Command, Option } from "commander";
import { DemoUsageError } from "./DemoUsageError.js";
import { embeddedStoreSpec } from "./embeddedStoreSpec.js";
import { formatDemoReport } from "./formatDemoReport.js";
import { runDemo } from "./runDemo.js";

interface DemoFlags {
  dir: string;
  store?: string;
  files: number;
  lines: number;
  seed: number;
  badLines: number;
  capacity: number;
  concurrency: number;
  fresh?: boolean;
  json?: boolean;
}

/** Where the demo works by default (relative to the working directory). */
export const DEFAULT_DEMO_DIR = "./.seniority/demo";

/**
 * The demo's store by default: LMDB inside its own folder, never the `augment` default
 * (`./.seniority/cache`), so the demo's simulated levels stay with the demo.
 */
export function defaultDemoStore(dir: string): string {
  return `lmdb:${dir.replace(/\/+$/, "")}/cache`;
}

/**
 * Files augmented at once. With 16 files in flight the cache's misses queue deeper than with the
 * augmenter's default of 2, so model batches are fuller (mean ~550–800 items at the defaults, vs
 * ~320) and the run is model-bound, as a backfill should be.
 * shared abort signal then passes Node's 10-listener warning threshold.)
 */
export const DEFAULT_DEMO_CONCURRENCY = 16;

/**
 * `seniority demo` (what `npm start` runs): generates a sample of minute files once, augments it
 * on embedded defaults (in-process cache on LMDB, in-process model-sim at the real model's 1000
 * items/s) and prints a report. A second run reuses the sample, redoes the outputs and asks the
 * model nothing: the cache persisted. Exit 0; 1 when a file failed or the run broke; 2 on bad flags.
 */
export function createDemoCommand(): Command {
  const command = new Command("demo")
    .description(
      "Generate a sample, augment it on embedded defaults (no services needed) and report the numbers",
    )
    .addOption(
      new Option("--dir <path>", "demo folder: raw/ (the sample), mod/ (output), errors/ (bad lines)")
        .env("SENIORITY_DEMO_DIR")
        .default(DEFAULT_DEMO_DIR),
    )
    .addOption(
      new Option(
        "--store <spec>",
        "the cache's embedded store: lmdb:<path> or memory (default: lmdb:<--dir>/cache)",
      )
        .env("SENIORITY_DEMO_STORE")
        .argParser(embeddedStoreSpec),
    )
    .addOption(
      new Option("--files <n>", "minute files in the sample")
        .env("SENIORITY_DEMO_FILES")
        .argParser(integer(1, 10_000))
        .default(30, "30 files"),
    )
    .addOption(
      new Option("--lines <n>", "mean lines a file (each file: 0.5–1.5 × this)")
        .env("SENIORITY_DEMO_LINES")
        .argParser(integer(1, 1_000_000))
        .default(5000, "5000 lines"),
    )
    .addOption(
      new Option("--seed <n>", "sample seed: the same seed gives the same sample")
        .env("SENIORITY_DEMO_SEED")
        .argParser(integer(0, 0xffffffff))
        .default(1),
    )
    .addOption(
      new Option("--bad-lines <share>", "share 0..1 of malformed lines in the sample")
        .env("SENIORITY_DEMO_BAD_LINES")
        .argParser(number(0, 1))
        .default(0.01, "0.01 (1%)"),
    )
    .addOption(
      new Option("--capacity <n>", "items a second model-sim serves (the real model: 1000)")
        .env("SENIORITY_DEMO_CAPACITY")
        .argParser(integer(1, 10_000_000))
        .default(DEFAULT_SIM_CAPACITY, `${DEFAULT_SIM_CAPACITY} items/s`),
    )
    .addOption(
      new Option("--concurrency <n>", "files augmented at once")
        .env("SENIORITY_DEMO_CONCURRENCY")
        .argParser(integer(1, 64))
        .default(DEFAULT_DEMO_CONCURRENCY, `${DEFAULT_DEMO_CONCURRENCY} files`),
    )
    .addOption(
      boolFlag("--fresh", "start over: delete the demo folder and the cache first", "SENIORITY_DEMO_FRESH"),
    )
    .addOption(boolFlag("--json", "print the report as one JSON object", "SENIORITY_DEMO_JSON"));
  return command.action(async (flags: DemoFlags) => {
    // Errors only by default: the report says what ran (the embedded resolver's "model-sim
    // started, levels are simulated" warning is the demo's premise, not news).
    const logger = createLogger("demo", process.env["SENIORITY_LOG_LEVEL"] ?? "error");
    const json = flags.json === true;
    const say = (message: string): void => {
      if (!json) process.stderr.write(redactUrls(`demo: ${message}\n`));
    };
    const tty = !json && process.stderr.isTTY === true;
    const stop = new AbortController();
    const onSignal = (): void => stop.abort(new Error("stopped by a signal"));
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    let report;
    let progressShown = false;
    // The progress line is rewritten in place (\r); end it before anything else is printed.
    const endProgress = (): void => {
      if (progressShown) process.stderr.write("\n");
      progressShown = false;
    };
    try {
      report = await runDemo({
        dir: flags.dir,
        store: flags.store ?? defaultDemoStore(flags.dir),
        files: flags.files,
        lines: flags.lines,
        seed: flags.seed,
        badLineShare: flags.badLines,
        capacity: flags.capacity,
        concurrency: flags.concurrency,
        fresh: flags.fresh === true,
        logger,
        onStep: say,
        ...(tty
          ? {
              onProgress: ({ filesTotal, filesFinished, lines }) => {
                progressShown = true;
                process.stderr.write(
                  `\rdemo: ${filesFinished}/${filesTotal} files, ${lines.toLocaleString("en-US")} lines`,
                );
              },
            }
          : {}),
        signal: stop.signal,
      });
    } catch (error) {
      endProgress();
      if (error instanceof DemoUsageError)
        return command.error(`error: ${error.message}`, { exitCode: EXIT_USAGE });
      if (stop.signal.aborted) {
        process.stderr.write("demo: stopped (files in progress were left out; the next run redoes them)\n");
      } else {
        logger.error({ err: error }, "demo failed");
        process.stderr.write(redactUrls(`demo: ${(error as Error).message}\n`));
      }
      process.exitCode = 1;
      return;
    } finally {
      endProgress();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      logger.flush();
    }
    process.stdout.write((json ? JSON.stringify(report) : formatDemoReport(report)) + "\n");
    if (report.augment.failedFiles.length > 0) process.exitCode = 1;
  });
}

/** A flag that also takes an explicit value, so its variable can say "false" too. */
function boolFlag(flags: string, description: string, env: string): Option {
  return new Option(`${flags} [bool]`, description).env(env).preset("true").argParser(boolean);
}
