import { dialAddress } from "@seniority/cli-options";
import { NORMALIZATION_MODES } from "@seniority/pair-key";
import { Option } from "commander";
import { IN_PROCESS_SIM } from "./InProcessModel.js";

/** `augment`'s flags saying where postings come from and go, and where levels come from. */
export function locationOptions(): Option[] {
  return [
    new Option("--input <uri>", "input folder: s3://bucket/prefix/ or a directory").env("SENIORITY_INPUT"),
    new Option("--output <uri>", "output folder (same file names)").env("SENIORITY_OUTPUT"),
    new Option("--errors <uri>", 'errors folder (default: the output\'s own prefix + "-errors/")').env(
      "SENIORITY_ERRORS",
    ),
    new Option(
      "--proxy <host:port>",
      "the seniority caching proxy (gRPC; https://host:port: TLS); give it or --model",
    )
      .env("SENIORITY_PROXY")
      .argParser(dialAddress),
    new Option(
      "--model <host:port|sim>",
      "without --proxy: the model, with the cache in this process; sim: model-sim in-process (simulated levels)",
    )
      .env("SENIORITY_MODEL")
      .argParser(modelArg),
    new Option(
      "--store <spec>",
      "without --proxy: the cache's store, lmdb:<path>, memory or redis://… (default: lmdb:./.seniority/cache)",
    ).env("SENIORITY_STORE"),
    // No commander default: given with --proxy it is refused (the proxy keys pairs its own way).
    new Option(
      "--normalization <mode>",
      "without --proxy: how the cache keys pairs, as `cache --normalization` (default: standard)",
    )
      .env("SENIORITY_NORMALIZATION")
      .choices(NORMALIZATION_MODES),
  ];
}

/** `--model`: "[https://]host:port" of a model, or "sim" (IN_PROCESS_SIM) for model-sim in this process. */
function modelArg(value: string): string {
  return value.trim() === IN_PROCESS_SIM ? IN_PROCESS_SIM : dialAddress(value);
}
