import { pino } from "pino";

/** A line a capturingLogger wrote, parsed. */
export interface LogLine {
  level: number;
  msg: string;
  model?: string;
}

/** A real pino logger writing into an array, so tests can count and read its lines. */
export function capturingLogger(): { logger: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: "info" },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}
