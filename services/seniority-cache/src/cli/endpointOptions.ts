import { dialAddress, port } from "@seniority/cli-options";
import type { Option } from "commander";
import { cacheFlag } from "./cacheFlag.js";

/**
 * `cache`'s flags saying where it listens (gRPC, HTTP, the admin API) and which model it calls.
 * `defaultHost` is the --host default (the container entry listens on every interface).
 */
export function endpointOptions(defaultHost: string): Option[] {
  return [
    cacheFlag("--host <host>", "interface to listen on (gRPC and HTTP)").default(defaultHost),
    cacheFlag("--port <port>", "gRPC port (0 = any free port)").argParser(port).default(50052),
    cacheFlag("--http-port <port>", "port of /metrics, /healthz, /readyz").argParser(port).default(9464),
    cacheFlag(
      "--admin-port <port>",
      "port of the admin API (Lookup, Invalidate; needs --admin-token-file); default: admin API off",
    ).argParser(port),
    cacheFlag(
      "--admin-host <host>",
      "interface of the admin port (keep it loopback: kubectl port-forward)",
    ).default("127.0.0.1"),
    cacheFlag(
      "--admin-token-file <path>",
      "file holding the admin API's bearer token (re-read when it changes)",
    ),
    cacheFlag("--model <host:port>", "the seniority model (https://host:port: over TLS)")
      .argParser(dialAddress)
      .default("127.0.0.1:50051"),
  ];
}
