import { hostPort, integer } from "@seniority/cli-options";
import type { Option } from "commander";
import { cacheFlag } from "./cacheFlag.js";

/** `cache`'s flags for replicas on one Redis: the address peers reach this one at, and its claims on pairs. */
export function replicaOptions(): Option[] {
  return [
    cacheFlag(
      "--peer-address <host:port>",
      "with Redis: where the other replicas reach this one; set, each pair has an owner replica and misses are asked of it (so a Redis outage infers nothing twice)",
    ).argParser(hostPort),
    cacheFlag(
      "--claim-ttl-ms <ms>",
      "with Redis: a replica's claim on a pair it infers expires this long after the replica stops refreshing it",
    )
      .argParser(integer(100, 3_600_000))
      .default(10_000, "10000 ms"),
  ];
}
