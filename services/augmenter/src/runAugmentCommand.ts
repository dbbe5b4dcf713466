import { EXIT_USAGE } from "@seniority/cli-options";
import {
  openObjectStore,
  s3OptionsFromCli,
  type ObjectStore,
  type S3CliValues,
} from "@seniority/object-store";
import type { Priority, SeniorityResolver } from "@seniority/seniority-client";
import { createLogger, createRegistry, HttpEndpoint } from "@seniority/telemetry";
import type { Command } from "commander";
import { AugmenterMetrics } from "./AugmenterMetrics.js";
import { createResolver } from "./createResolver.js";
import { leaseScope } from "./LeaseKeys.js";
import { defaultErrorsLocation, splitFileUri } from "./locations.js";
import { ProgressBar } from "./ProgressBar.js";
import { RedisFileLeases } from "./RedisFileLeases.js";
import { runAugmenter } from "./runAugmenter.js";

export interface AugmentFlags extends S3CliValues {
  input?: string;
  output?: string;
  errors?: string;
  proxy?: string;
  model?: string;
  store?: string;
  once?: boolean;
  watch?: boolean;
  interval: number;
  concurrency: number;
  chunkLines: number;
  maxLineBytes: number;
  localCacheEntries: number;
  parseThreads: number;
  spillBytes: number;
  batchSize: number;
  rpcConcurrency: number;
  deadline: number;
  retries: number;
  priority: Priority;
  grace: number;
  startAfter?: string;
  rescan?: boolean;
  leases?: string;
  leaseTtl: number;
  httpPort?: number;
  progress?: boolean;
}

/** The action of `seniority augment` (see createAugmentCommand). */
export async function runAugmentCommand(
  command: Command,
  file: string | undefined,
  flags: AugmentFlags,
): Promise<void> {
  const usage = (message: string): never => command.error(`error: ${message}`, { exitCode: EXIT_USAGE });
  const modes = [file !== undefined, flags.once === true, flags.watch === true].filter(Boolean).length;
  if (modes !== 1) usage("give exactly one of --once, --watch or a file URI");
  if (flags.output === undefined) usage("--output is required");
  if (file === undefined && flags.input === undefined) usage("--input is required with --once and --watch");

  const showProgress = flags.progress ?? (flags.once === true && process.stderr.isTTY === true);
  // Under a progress bar only warnings and errors are logged (unless a level is set explicitly).
  const logger = createLogger(
    "augmenter",
    process.env["SENIORITY_LOG_LEVEL"] ?? (showProgress ? "warn" : "info"),
  );
  const closers: (() => Promise<void> | void)[] = [];
  const stop = new AbortController();
  const onSignal = (name: string) => (): void => {
    logger.info({ signal: name }, "signal received");
    stop.abort(new Error(name));
  };
  const onTerm = onSignal("SIGTERM");
  const onInt = onSignal("SIGINT");
  try {
    let resolver: SeniorityResolver;
    let stores: { input: ObjectStore; output: ObjectStore; errors: ObjectStore; key?: string };
    try {
      const s3 = s3OptionsFromCli(flags);
      const single = file === undefined ? undefined : splitFileUri(file);
      const open = (location: string): ObjectStore => {
        const store = openObjectStore(location, { s3 });
        closers.push(() => store.close());
        return store;
      };
      stores = {
        input: open(single?.location ?? flags.input!),
        output: open(flags.output!),
        errors: open(flags.errors ?? defaultErrorsLocation(flags.output!)),
        ...(single ? { key: single.key } : {}),
      };
      // After the locations are checked: embedded mode starts a cache (and maybe model-sim) here.
      resolver = await createResolver({
        ...(flags.proxy !== undefined ? { proxy: flags.proxy } : {}),
        ...(flags.model !== undefined ? { model: flags.model } : {}),
        ...(flags.store !== undefined ? { store: flags.store } : {}),
        logger,
        batchSize: flags.batchSize,
        rpcConcurrency: flags.rpcConcurrency,
        deadlineMs: flags.deadline,
        retries: flags.retries,
        priority: flags.priority,
      });
      closers.push(() => resolver.close());
    } catch (error) {
      return usage((error as Error).message);
    }

    const leases =
      flags.leases === undefined
        ? undefined
        : RedisFileLeases.open(flags.leases, {
            scope: leaseScope(stores.input.location, stores.output.location),
            ttlMs: flags.leaseTtl,
            logger,
          });
    if (leases) closers.push(() => leases.close());
    const registry = createRegistry("augmenter");
    const metrics = new AugmenterMetrics(registry);
    if (flags.httpPort !== undefined) {
      const http = await HttpEndpoint.start({
        port: flags.httpPort,
        registry,
        readiness: () => ({ ready: !stop.signal.aborted, details: { stopping: stop.signal.aborted } }),
      });
      closers.push(() => http.close());
    }
    const bar = showProgress ? new ProgressBar() : undefined;
    if (bar) closers.push(() => bar.stop());
    process.once("SIGTERM", onTerm);
    process.once("SIGINT", onInt);

    logger.info(
      {
        input: stores.input.location,
        output: stores.output.location,
        errors: stores.errors.location,
        key: stores.key,
        proxy: flags.proxy,
        model: flags.model,
        store: flags.store,
        leases: leases?.location,
      },
      "augmenter starting",
    );
    let summary;
    try {
      summary = await runAugmenter({
        input: stores.input,
        output: stores.output,
        errors: stores.errors,
        resolver,
        mode: flags.watch === true ? "watch" : "once",
        ...(stores.key !== undefined ? { keys: [stores.key] } : {}),
        intervalMs: flags.interval,
        concurrency: flags.concurrency,
        chunkLines: flags.chunkLines,
        maxLineBytes: flags.maxLineBytes,
        localCacheEntries: flags.localCacheEntries,
        parseThreads: flags.parseThreads,
        spillBytes: flags.spillBytes,
        ...(flags.startAfter !== undefined ? { startAfter: flags.startAfter } : {}),
        rescan: flags.rescan === true,
        ...(leases ? { leases } : {}),
        signal: stop.signal,
        graceMs: flags.grace,
        metrics,
        logger,
        ...(bar ? { onProgress: (progress) => bar.update(progress) } : {}),
      });
    } catch (error) {
      // Not a file's failure (those are counted): listing the input failed, for example.
      bar?.stop();
      logger.error({ err: error }, "augmenter run failed");
      process.stderr.write(`augment: ${(error as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
    bar?.stop();
    process.stdout.write(JSON.stringify(summary) + "\n");
    if (summary.failedFiles.length > 0) {
      process.stderr.write(
        `augment: ${summary.failedFiles.length} file(s) failed (retried next run): ${summary.failedFiles.join(", ")}\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onInt);
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        logger.warn({ err: error }, "close failed");
      }
    }
    logger.flush();
  }
}
