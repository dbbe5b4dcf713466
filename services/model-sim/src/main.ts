import { runProgram } from "@seniority/cli-options";
import { createModelSimCommand } from "./createModelSimCommand.js";

// Container entry: `node services/model-sim/dist/main.js [flags]`, same flags and environment
// variables as `seniority model-sim`, but listening on every interface unless told otherwise.
await runProgram(createModelSimCommand({ host: "0.0.0.0" }), process.argv);
