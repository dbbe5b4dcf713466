import { pino, type Logger } from "pino";

export type { Logger };

/**
 * JSON logs on stderr (stdout stays free for command output such as reports).
 * Level from SENIORITY_LOG_LEVEL (default "info"; "silent" in tests).
 */
export function createLogger(service: string, level = process.env["SENIORITY_LOG_LEVEL"] ?? "info"): Logger {
  return pino({ name: service, level, base: { service } }, pino.destination({ fd: 2, sync: false }));
}
