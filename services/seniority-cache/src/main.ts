import { runProgram } from "@seniority/cli-options";
import { createCacheCommand } from "./cli/createCacheCommand.js";

// Container entry: `node services/seniority-cache/dist/main.js [flags]`, the same flags and
// SENIORITY_CACHE_* variables as `seniority cache`, listening on every interface unless told otherwise.
await runProgram(createCacheCommand({ host: "0.0.0.0" }), process.argv);
