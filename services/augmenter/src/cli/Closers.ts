import type { Logger } from "@seniority/telemetry";

/**
 * What a command opened, closed in reverse order by close(): every step runs even when one fails
 * (each failure is logged as a warning). close() may be called twice; the second closes nothing.
 */
export class Closers {
  private readonly steps: (() => Promise<void> | void)[] = [];

  constructor(private readonly logger: Logger) {}

  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  async close(): Promise<void> {
    for (const close of this.steps.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        this.logger.warn({ err: error }, "close failed");
      }
    }
  }
}
