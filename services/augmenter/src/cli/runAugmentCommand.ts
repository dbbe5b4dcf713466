import { tmpdir } from "node:os";
import { EXIT_USAGE } from "@seniority/cli-options";
import { createLogger, createRegistry, HttpEndpoint, redactUrls } from "@seniority/telemetry";
import type { Command } from "commander";
import type { AugmentCommandDeps, AugmentFlags } from "./AugmentFlags.js";
import { augmenterOptions } from "./augmenterOptions.js";
import { AugmenterMetrics } from "../run/AugmenterMetrics.js";
import { checkAugmentFlags } from "./checkAugmentFlags.js";
import { checkInputLocation, MissingInputError } from "./checkInputLocation.js";
import { Closers } from "./Closers.js";
import { openAugmentStores, type AugmentStores } from "./openAugmentStores.js";
import { openLeases } from "./openLeases.js";
import { openResolver } from "./openResolver.js";
import { ProgressBar } from "../run/ProgressBar.js";
import { ProxyUnavailableError } from "./probeProxy.js";
import { removeStaleSpills } from "../file/removeStaleSpills.js";
import { reportSummary } from "./reportSummary.js";
import { runAugmenter } from "../run/runAugmenter.js";
import { StopSignals } from "./StopSignals.js";

/**
 * The action of `seniority augment` (see createAugmentCommand): checks the flags, opens the
 * stores, the resolver and the leases (in that order: nothing is created before the input is
 * found), runs, and prints the summary; everything opened is closed, whatever happens.
 */
export async function runAugmentCommand(
  command: Command,
  file: string | undefined,
  flags: AugmentFlags,
  deps: AugmentCommandDeps = {},
): Promise<void> {
  const usage = (message: string): never => command.error(`error: ${message}`, { exitCode: EXIT_USAGE });
  /** Not the flags' fault (the proxy is down, S3 refused the listing): one line, exit 1. */
  const fail = (message: string): void => {
    process.stderr.write(`augment: ${message}\n`);
    process.exitCode = 1;
  };
  const checked = await checkAugmentFlags(file, flags, usage);

  const showProgress = flags.progress ?? (flags.once === true && process.stderr.isTTY === true);
  // Under a progress bar only warnings and errors are logged (unless a level is set explicitly).
  const logger = createLogger(
    "augmenter",
    process.env["SENIORITY_LOG_LEVEL"] ?? (showProgress ? "warn" : "info"),
  );
  const closers = new Closers(logger);
  const stop = new StopSignals(logger);
  try {
    let stores: AugmentStores;
    try {
      stores = openAugmentStores(file, flags, closers);
    } catch (error) {
      return usage((error as Error).message);
    }
    try {
      // Before anything is created (the embedded cache's LMDB files, for one).
      await checkInputLocation(stores.input);
    } catch (error) {
      if (error instanceof MissingInputError) return usage(error.message);
      return fail((error as Error).message);
    }
    let opened;
    try {
      // After the locations are checked: embedded mode starts a cache (and maybe model-sim) here.
      opened = await openResolver(flags, checked, logger, closers, deps);
    } catch (error) {
      if (error instanceof ProxyUnavailableError) return fail(error.message);
      return usage((error as Error).message);
    }
    const { resolver, namespace, cachedLevels } = opened;

    const leases = openLeases(flags, stores, checked, logger, closers);
    const registry = createRegistry("augmenter");
    const metrics = new AugmenterMetrics(registry);
    if (flags.httpPort !== undefined) {
      const http = await HttpEndpoint.start({
        port: flags.httpPort,
        registry,
        readiness: () => ({ ready: !stop.signal.aborted, details: { stopping: stop.signal.aborted } }),
      });
      closers.add(() => http.close());
    }
    const bar = showProgress ? new ProgressBar() : undefined;
    if (bar) closers.add(() => bar.stop());
    stop.listen();

    logger.info(
      {
        input: stores.input.location,
        output: stores.output.location,
        errors: stores.errors.location,
        key: stores.key,
        proxy: flags.proxy,
        model: flags.model,
        store: flags.store,
        namespace,
        spillDir: flags.spillDir,
        leases: leases?.location,
      },
      "augmenter starting",
    );
    // Spills a SIGKILLed predecessor left (up to a file's output each), before this run spills.
    await removeStaleSpills(tmpdir(), { logger });
    let summary;
    try {
      summary = await runAugmenter(
        augmenterOptions(flags, stores, resolver, namespace, cachedLevels, {
          ...(leases ? { leases } : {}),
          signal: stop.signal,
          metrics,
          logger,
          ...(bar ? { onProgress: (progress) => bar.update(progress) } : {}),
        }),
      );
    } catch (error) {
      // Not a file's failure (those are counted): listing the input failed, for example.
      bar?.stop();
      logger.error({ err: error }, "augmenter run failed");
      process.stderr.write(redactUrls(`augment: ${(error as Error).message}\n`));
      process.exitCode = 1;
      return;
    }
    bar?.stop();
    reportSummary(summary);
  } finally {
    stop.close();
    await closers.close();
    logger.flush();
  }
}
