import { join } from "node:path";
import { CLI_BIN } from "../core/paths.js";
import { ServiceProcess } from "./ServiceProcess.js";

/**
 * Starts `seniority <args…>` (the CLI every deployment runs) as its own Node process, logging at
 * "warn" unless told otherwise, with its full output in `<workDir>/<name>.log`.
 */
export function startCliService(
  name: string,
  args: readonly string[],
  options: {
    workDir: string;
    ready: (output: string) => Promise<boolean>;
    env?: Record<string, string>;
    nodeArgs?: string[];
  },
): Promise<ServiceProcess> {
  return ServiceProcess.start(name, process.execPath, [...(options.nodeArgs ?? []), CLI_BIN, ...args], {
    env: { SENIORITY_LOG_LEVEL: "warn", ...options.env },
    ready: options.ready,
    readyTimeoutMs: 60_000,
    logFile: join(options.workDir, `${name}.log`),
  });
}
