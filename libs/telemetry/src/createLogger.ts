import { pino, type Logger } from "pino";
import { redactUrls } from "./redactUrls.js";

export type { Logger };

/**
 * JSON logs on stderr (stdout stays free for command output such as reports).
 * Level from SENIORITY_LOG_LEVEL (default "info"; "silent" in tests). Every line, whatever
 * logged it (a flag, an error's message or stack), has URL credentials hidden (redactUrls).
 */
export function createLogger(service: string, level = process.env["SENIORITY_LOG_LEVEL"] ?? "info"): Logger {
  return pino(
    { name: service, level, base: { service }, hooks: { streamWrite: redactUrls } },
    pino.destination({ fd: 2, sync: false }),
  );
}
