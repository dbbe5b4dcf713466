import { runProgram } from "@seniority/cli-options";
import { createAugmentCommand } from "./cli/createAugmentCommand.js";

// Container entry: `node services/augmenter/dist/main.js [flags]`, same flags and environment
// variables as `seniority augment`.
await runProgram(createAugmentCommand(), process.argv);
