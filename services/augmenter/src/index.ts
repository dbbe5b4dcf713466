// The augmenter's door for other packages: the `augment` command (services/cli), one run in
// process (the demo, test/faults), its summary (bench), the embedded resolver (the demo) and the
// leases (test/faults). The augmenter's own tests import its modules from src/ directly.
export { createAugmentCommand } from "./cli/createAugmentCommand.js";
export { runAugmenter } from "./run/runAugmenter.js";
export type { RunAugmenterOptions } from "./run/RunAugmenterOptions.js";
export type { RunSummaryJson } from "./run/RunSummary.js";
export {
  createEmbeddedResolver,
  type EmbeddedResolver,
  type EmbeddedResolverOptions,
} from "./cli/createEmbeddedResolver.js";
export {
  DEFAULT_SIM_CAPACITY,
  IN_PROCESS_SIM,
  type InProcessModel,
  type StartInProcessModel,
} from "./cli/InProcessModel.js";
export type { AugmentCommandDeps } from "./cli/AugmentFlags.js";
export { s3CliOptions, s3OptionsFromCli, type S3CliValues } from "./cli/s3CliOptions.js";
export { RedisFileLeases, type RedisFileLeasesOptions } from "./leases/RedisFileLeases.js";
export { createWarmCommand, DEFAULT_WARM_RATE } from "./warm/createWarmCommand.js";
export { runWarm, type RunWarmOptions, type WarmSummary } from "./warm/runWarm.js";
export { PairCounter, type CountedPair } from "./warm/PairCounter.js";
export { RatePacer } from "./warm/RatePacer.js";
export { sendPlan, type SendPlanOptions } from "./warm/sendPlan.js";
