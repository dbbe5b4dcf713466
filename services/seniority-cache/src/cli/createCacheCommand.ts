import { addDialTlsFlags, addGrpcServerFlags } from "@seniority/cli-options";
import { Command } from "commander";
import { batchingOptions } from "./batchingOptions.js";
import type { ParsedCacheFlags } from "./CacheFlags.js";
import { cachingOptions } from "./cachingOptions.js";
import { checkCacheFlags } from "./checkCacheFlags.js";
import { endpointOptions } from "./endpointOptions.js";
import { limitOptions } from "./limitOptions.js";
import { modelClientOptions } from "./modelClientOptions.js";
import { queueOptions } from "./queueOptions.js";
import { replicaOptions } from "./replicaOptions.js";
import { runCacheCommand } from "./runCacheCommand.js";
import { storeOptions } from "./storeOptions.js";

/**
 * `seniority cache`: the caching proxy. Prints one line when it serves; SIGTERM or SIGINT stops
 * accepting calls, finishes those in progress, flushes store writes and exits 0.
 * `defaults.host` lets the container entry listen on every interface while the CLI stays on
 * loopback. Every flag also reads a SENIORITY_CACHE_* variable. The flags come in this order in
 * --help: endpoints, store, keys and L1, batching and pacing, replicas, queues, model calls,
 * request limits, model TLS, server TLS and transport.
 */
export function createCacheCommand(defaults: { host?: string } = {}): Command {
  const command = new Command("cache").description("Run the caching proxy in front of the seniority model");
  const options = [
    ...endpointOptions(defaults.host ?? "127.0.0.1"),
    ...storeOptions(),
    ...cachingOptions(),
    ...batchingOptions(),
    ...replicaOptions(),
    ...queueOptions(),
    ...modelClientOptions(),
    ...limitOptions(),
  ];
  for (const option of options) command.addOption(option);
  addDialTlsFlags(command, "model", "SENIORITY_CACHE");
  addDialTlsFlags(command, "peer", "SENIORITY_CACHE");
  addGrpcServerFlags(command, "SENIORITY_CACHE");
  return command.action(async (parsed: ParsedCacheFlags) => {
    const usage = (message: string): never => command.error(`error: ${message}`, { exitCode: 2 });
    const { flags, tls, redisSecurity } = await checkCacheFlags(parsed, usage);
    await runCacheCommand(flags, tls, redisSecurity);
  });
}
