import { integer } from "@seniority/cli-options";
import type { Option } from "commander";
import { cacheFlag } from "./cacheFlag.js";

/** `cache`'s flags of its calls to the model: deadline, resends, and the circuit breaker. */
export function modelClientOptions(): Option[] {
  return [
    cacheFlag("--model-timeout-ms <ms>", "deadline of one model call")
      .argParser(integer(1))
      .default(10_000, "10000 ms"),
    cacheFlag("--model-retries <n>", "resends of a batch on a transient failure")
      .argParser(integer(0, 10))
      .default(2, "2 resends"),
    cacheFlag("--breaker-failures <n>", "failed batches in a row that open the circuit")
      .argParser(integer(1))
      .default(5, "5 batches"),
    cacheFlag("--breaker-half-open-ms <ms>", "open circuit: wait before a probe batch")
      .argParser(integer(1))
      .default(5000, "5000 ms"),
  ];
}
