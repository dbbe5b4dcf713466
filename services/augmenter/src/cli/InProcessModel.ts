import type { Logger } from "@seniority/telemetry";

/** The `--model` value that asks for a model simulator in this process (`augment --model sim`, the demo). */
export const IN_PROCESS_SIM = "sim";

/** Items a second of the in-process simulator: the real model's capacity (SPEC). */
export const DEFAULT_SIM_CAPACITY = 1000;

/** A model server running in this process (the CLI's model-sim), reached over gRPC at `address`. */
export interface InProcessModel {
  readonly address: string;
  close(): Promise<void>;
}

/**
 * Starts a simulated model in this process on a free loopback port. The augmenter has none of
 * its own: the composition root (`seniority augment`, services/cli) injects model-sim here, so the
 * production augmenter never ships a simulator that invents levels.
 */
export type StartInProcessModel = (options: { capacity: number; logger: Logger }) => Promise<InProcessModel>;

/** What `--model sim` says where no simulator was injected (the augmenter's own container entry). */
export const NO_IN_PROCESS_MODEL_MESSAGE =
  "--model sim: this entry has no in-process model-sim; run `seniority augment --model sim`, or give --model <host:port> or --proxy";
