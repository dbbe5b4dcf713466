import { setMaxListeners } from "node:events";
import { tmpdir } from "node:os";
import { dialTlsSettings, EXIT_USAGE, type DialTlsSettings } from "@seniority/cli-options";
import { openObjectStore, type ObjectStore } from "@seniority/object-store";
import type { Priority, SeniorityResolver } from "@seniority/seniority-client";
import { readRedisSecurity, redisSecurityFiles, type RedisSecurity } from "@seniority/seniority-cache";
import { createLogger, createRegistry, HttpEndpoint, redactUrls } from "@seniority/telemetry";
import type { Command } from "commander";
import { AugmenterMetrics } from "../run/AugmenterMetrics.js";
import { checkInputLocation, MissingInputError } from "./checkInputLocation.js";
import { s3OptionsFromCli, type S3CliValues } from "./s3CliOptions.js";
import { checkSpillDir } from "../file/checkSpillDir.js";
import { IN_PROCESS_SIM } from "./createEmbeddedResolver.js";
import { createResolver, MISSING_MODEL_MESSAGE, PROXY_CONFLICT_MESSAGE } from "./createResolver.js";
import { leaseScope } from "../leases/LeaseKeys.js";
import { defaultErrorsLocation, splitFileUri } from "./locations.js";
import { ProgressBar } from "../run/ProgressBar.js";
import { ProxyUnavailableError } from "./probeProxy.js";
import { RedisFileLeases } from "../leases/RedisFileLeases.js";
import { removeStaleSpills } from "../file/removeStaleSpills.js";
import { runAugmenter } from "../run/runAugmenter.js";

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
  spillDir?: string;
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
  redisTlsCa?: string;
  redisTlsCert?: string;
  redisTlsKey?: string;
  redisPasswordFile?: string;
  httpPort?: number;
  progress?: boolean;
}

/** Listeners the run's stop signal may carry at once without a MaxListenersExceededWarning. */
const STOP_SIGNAL_LISTENERS = 200;

/** The action of `seniority augment` (see createAugmentCommand). */
export async function runAugmentCommand(
  command: Command,
  file: string | undefined,
  flags: AugmentFlags,
): Promise<void> {
  const usage = (message: string): never => command.error(`error: ${message}`, { exitCode: EXIT_USAGE });
  /** Not the flags' fault (the proxy is down, S3 refused the listing): one line, exit 1. */
  const fail = (message: string): void => {
    process.stderr.write(`augment: ${message}\n`);
    process.exitCode = 1;
  };
  const modes = [file !== undefined, flags.once === true, flags.watch === true].filter(Boolean).length;
  if (modes !== 1) usage("give exactly one of --once, --watch or a file URI");
  if (flags.output === undefined) usage("--output is required");
  if (file === undefined && flags.input === undefined) usage("--input is required with --once and --watch");
  if (flags.proxy === undefined && flags.model === undefined) usage(MISSING_MODEL_MESSAGE);
  if (flags.proxy !== undefined && (flags.model !== undefined || flags.store !== undefined)) {
    usage(PROXY_CONFLICT_MESSAGE);
  }
  let proxyTls: DialTlsSettings;
  let modelTls: DialTlsSettings;
  try {
    proxyTls = dialTlsSettings(flags, "proxy");
    modelTls = dialTlsSettings(flags, "model");
  } catch (error) {
    return usage((error as Error).message);
  }
  // (flagPrefix is always there: more than one key means a TLS flag was given.)
  if (flags.proxy === undefined && Object.keys(proxyTls).length > 1) {
    usage("--proxy-tls-* flags need --proxy");
  }
  if ((flags.model === undefined || flags.model === IN_PROCESS_SIM) && Object.keys(modelTls).length > 1) {
    usage("--model-tls-* flags need --model <host:port>");
  }
  if (flags.spillDir !== undefined)
    await checkSpillDir(flags.spillDir).catch((error: Error) => usage(error.message));
  let redisSecurity: RedisSecurity = {};
  try {
    redisSecurity = readRedisSecurity(redisSecurityFiles(flags), [flags.leases, flags.store]);
  } catch (error) {
    usage((error as Error).message);
  }

  const showProgress = flags.progress ?? (flags.once === true && process.stderr.isTTY === true);
  // Under a progress bar only warnings and errors are logged (unless a level is set explicitly).
  const logger = createLogger(
    "augmenter",
    process.env["SENIORITY_LOG_LEVEL"] ?? (showProgress ? "warn" : "info"),
  );
  const closers: (() => Promise<void> | void)[] = [];
  const stop = new AbortController();
  // Every S3 call of a scan listens on it (the scanner's 16 HEADs at once, the listing, each file
  // in progress and its puts): bounded, but past Node's default warning threshold of 10.
  setMaxListeners(STOP_SIGNAL_LISTENERS, stop.signal);
  const onSignal = (name: string) => (): void => {
    logger.info({ signal: name }, "signal received");
    stop.abort(new Error(name));
  };
  const onTerm = onSignal("SIGTERM");
  const onInt = onSignal("SIGINT");
  try {
    let resolver: SeniorityResolver;
    let namespace: string;
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
    try {
      // After the locations are checked: embedded mode starts a cache (and maybe model-sim) here.
      ({ resolver, namespace } = await createResolver({
        ...(flags.proxy !== undefined ? { proxy: flags.proxy, proxyTls } : {}),
        ...(flags.model !== undefined ? { model: flags.model, modelTls } : {}),
        ...(flags.store !== undefined ? { store: flags.store } : {}),
        redisSecurity,
        logger,
        batchSize: flags.batchSize,
        rpcConcurrency: flags.rpcConcurrency,
        deadlineMs: flags.deadline,
        retries: flags.retries,
        priority: flags.priority,
      }));
      closers.push(() => resolver.close());
    } catch (error) {
      if (error instanceof ProxyUnavailableError) return fail(error.message);
      return usage((error as Error).message);
    }

    const leases =
      flags.leases === undefined
        ? undefined
        : RedisFileLeases.open(flags.leases, {
            scope: leaseScope(stores.input.location, stores.output.location),
            ttlMs: flags.leaseTtl,
            security: redisSecurity,
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
      summary = await runAugmenter({
        input: stores.input,
        output: stores.output,
        errors: stores.errors,
        resolver,
        namespace,
        mode: flags.watch === true ? "watch" : "once",
        ...(stores.key !== undefined ? { keys: [stores.key] } : {}),
        intervalMs: flags.interval,
        concurrency: flags.concurrency,
        chunkLines: flags.chunkLines,
        maxLineBytes: flags.maxLineBytes,
        localCacheEntries: flags.localCacheEntries,
        parseThreads: flags.parseThreads,
        spillBytes: flags.spillBytes,
        ...(flags.spillDir !== undefined ? { spillDir: flags.spillDir } : {}),
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
      process.stderr.write(redactUrls(`augment: ${(error as Error).message}\n`));
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
