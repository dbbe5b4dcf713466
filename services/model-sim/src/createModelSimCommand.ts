import {
  addGrpcServerFlags,
  checkListenHost,
  durationMs,
  EXIT_USAGE,
  grpcServerSettings,
  integer,
  number,
  port,
  untilSignal,
  type GrpcServerFlags,
  type GrpcServerSettings,
} from "@seniority/cli-options";
import { Command, Option } from "commander";
import { ModelSim } from "./ModelSim.js";

interface ModelSimFlags extends GrpcServerFlags {
  port: number;
  httpPort: number;
  host: string;
  capacity: number;
  latencyMs: number;
  errorRate: number;
  maxBatch?: number;
  maxTrackedPairs: number;
}

/** 2,000,000 pairs ≈ 200 MB: a long-running sim stays within a 512 Mi container. */
export const DEFAULT_MAX_TRACKED_PAIRS = 2_000_000;

/**
 * `seniority model-sim`: runs the simulated model until SIGTERM or SIGINT (then exits 0).
 * Prints one line on stdout with the addresses it listens on. `defaults.host` lets the container
 * entry listen on every interface while the CLI stays on loopback.
 */
export function createModelSimCommand(defaults: { host?: string } = {}): Command {
  const command = new Command("model-sim")
    .description("Run the model simulator (capacity, stats, faults)")
    .addOption(
      new Option("--port <port>", "gRPC port (0 = any free port)")
        .env("SENIORITY_MODEL_SIM_PORT")
        .argParser(port)
        .default(50051),
    )
    .addOption(
      new Option("--http-port <port>", "HTTP port for /stats, /faults, /metrics, /healthz, /readyz")
        .env("SENIORITY_MODEL_SIM_HTTP_PORT")
        .argParser(port)
        .default(9465),
    )
    .addOption(
      new Option("--host <host>", "interface to listen on (gRPC and HTTP)")
        .env("SENIORITY_MODEL_SIM_HOST")
        .default(defaults.host ?? "127.0.0.1"),
    )
    .addOption(
      new Option("--capacity <items>", "items a second the model serves; more queue up")
        .env("SENIORITY_MODEL_SIM_CAPACITY")
        .argParser(integer(1))
        .default(1000, "1000 items/s"),
    )
    .addOption(
      new Option("--latency-ms <duration>", "fixed delay added to every answer (e.g. 50, 50ms, 2s)")
        .env("SENIORITY_MODEL_SIM_LATENCY_MS")
        .argParser(durationMs)
        .default(0, "0 ms"),
    )
    .addOption(
      new Option("--error-rate <share>", "share 0..1 of calls failed with UNAVAILABLE")
        .env("SENIORITY_MODEL_SIM_ERROR_RATE")
        .argParser(number(0, 1))
        .default(0, "0 (no errors)"),
    )
    .addOption(
      new Option("--max-batch <items>", "reject larger batches with INVALID_ARGUMENT (default: no limit)")
        .env("SENIORITY_MODEL_SIM_MAX_BATCH")
        .argParser(integer(1)),
    )
    .addOption(
      new Option(
        "--max-tracked-pairs <n>",
        "distinct pairs remembered for the duplicate count (~100 bytes each); beyond, the oldest are forgotten",
      )
        .env("SENIORITY_MODEL_SIM_MAX_TRACKED_PAIRS")
        .argParser(integer(1))
        .default(DEFAULT_MAX_TRACKED_PAIRS, `${DEFAULT_MAX_TRACKED_PAIRS} pairs`),
    );
  return addGrpcServerFlags(command, "SENIORITY_MODEL_SIM").action(
    async (flags: ModelSimFlags, command: Command) => {
      let grpc: GrpcServerSettings;
      try {
        grpc = grpcServerSettings(flags);
      } catch (error) {
        command.error(`error: ${(error as Error).message}`, { exitCode: EXIT_USAGE });
      }
      // A bad --host is a usage error: one line, exit 2 (not a gRPC bind stack trace).
      await checkListenHost(flags.host).catch((error: Error) =>
        command.error(`error: ${error.message}`, { exitCode: EXIT_USAGE }),
      );
      const sim = await ModelSim.start({
        port: flags.port,
        httpPort: flags.httpPort,
        host: flags.host,
        capacity: flags.capacity,
        latencyMs: flags.latencyMs,
        errorRate: flags.errorRate,
        maxBatch: flags.maxBatch,
        maxTrackedPairs: flags.maxTrackedPairs,
        ...(grpc.tls ? { tls: grpc.tls } : {}),
        transport: grpc.transport,
      });
      const http = `http://${sim.address.replace(/:\d+$/, "")}:${sim.httpPort}`;
      const tls = grpc.tls ? (grpc.tls.clientCaFile ? ", mTLS" : ", TLS") : "";
      process.stdout.write(
        `model-sim listening: grpc ${sim.address}, http ${http} (capacity ${flags.capacity} items/s${tls})\n`,
      );
      const signal = await untilSignal();
      await sim.close();
      process.stderr.write(`model-sim stopped on ${signal}\n`);
      process.exitCode = 0;
    },
  );
}
