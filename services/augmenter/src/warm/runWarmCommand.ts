import { dialTlsSettings, EXIT_USAGE } from "@seniority/cli-options";
import { parseNamespace } from "@seniority/pair-key";
import { SeniorityClient } from "@seniority/seniority-model";
import { createLogger, redactUrls } from "@seniority/telemetry";
import type { Command } from "commander";
import { MissingInputError } from "../cli/checkInputLocation.js";
import { probeProxy, ProxyUnavailableError } from "../cli/probeProxy.js";
import { s3OptionsFromCli } from "../cli/s3CliOptions.js";
import { StopSignals } from "../cli/StopSignals.js";
import type { WarmFlags } from "./createWarmCommand.js";
import { openWarmInput } from "./openWarmInput.js";
import { runWarm, WarmCheckpointError } from "./runWarm.js";
import { WarmLog } from "./WarmLog.js";
import { WarmProgressBar } from "./WarmProgressBar.js";

/**
 * The action of `seniority warm`: checks the flags, finds the input, asks the proxy its namespace
 * (pairs are counted under its normalization), then runs (runWarm) and prints the summary as one
 * JSON line. Usage problems exit 2; the proxy or the input failing, or a stop signal, exit 1 —
 * with a checkpoint, a rerun resumes.
 */
export async function runWarmCommand(command: Command, location: string, flags: WarmFlags): Promise<void> {
  const usage = (message: string): never => command.error(`error: ${message}`, { exitCode: EXIT_USAGE });
  const fail = (message: string): void => {
    process.stderr.write(redactUrls(`warm: ${message}\n`));
    process.exitCode = 1;
  };
  let tls;
  try {
    tls = dialTlsSettings(flags, "proxy");
  } catch (error) {
    return usage((error as Error).message);
  }
  if (flags.counters < flags.top)
    usage(`--counters (${flags.counters}) must be at least --top (${flags.top})`);
  let input;
  try {
    input = await openWarmInput(location, s3OptionsFromCli(flags));
  } catch (error) {
    return error instanceof MissingInputError ? usage(error.message) : fail((error as Error).message);
  }
  const showBar = flags.progress ?? process.stderr.isTTY === true;
  const logger = createLogger("warm", process.env["SENIORITY_LOG_LEVEL"] ?? (showBar ? "warn" : "info"));
  const stop = new StopSignals(logger);
  const bar = showBar ? new WarmProgressBar() : undefined;
  const log = new WarmLog(logger);
  let client: SeniorityClient | undefined;
  try {
    let namespace: string;
    try {
      ({ namespace } = await probeProxy(flags.proxy, { tls }));
    } catch (error) {
      if (error instanceof ProxyUnavailableError) return fail(error.message);
      throw error;
    }
    client = new SeniorityClient({ address: flags.proxy, tls, lane: "bulk", batchSize: flags.batch });
    stop.listen();
    const summary = await runWarm({
      input,
      settings: {
        location,
        namespace,
        normalization: parseNamespace(namespace).mode,
        top: flags.top,
        minCount: flags.minCount,
        counters: flags.counters,
      },
      resolver: client,
      rate: flags.rate,
      maxBatch: flags.batch,
      ...(flags.checkpoint !== undefined ? { checkpoint: flags.checkpoint } : {}),
      signal: stop.signal,
      onCount: (progress) => (bar ? bar.counting(progress) : log.counting(progress)),
      onSend: (progress) => (bar ? bar.sending(progress) : log.sending(progress)),
    });
    bar?.stop();
    process.stdout.write(`${JSON.stringify({ namespace, ...summary })}\n`);
  } catch (error) {
    bar?.stop();
    if (error instanceof WarmCheckpointError) return usage(error.message);
    const resume =
      flags.checkpoint !== undefined ? `; rerun with --checkpoint ${flags.checkpoint} to resume` : "";
    fail(`${stop.signal.aborted ? "stopped" : (error as Error).message}${resume}`);
  } finally {
    stop.close();
    await client?.close();
    await input.store.close();
    logger.flush();
  }
}
