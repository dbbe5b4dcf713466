import type { ManualClock } from "@seniority/clock";
import { MicroBatcher, type MicroBatcherOptions } from "../../src/core/MicroBatcher.js";

/** A batcher over strings whose execute records each batch (and the clock time it left). */
export function recorder(options: Partial<MicroBatcherOptions<string, string>> & { clock: ManualClock }) {
  const batches: string[][] = [];
  const sentAt: number[] = [];
  const batcher = new MicroBatcher<string, string>({
    execute: async (items) => {
      batches.push(items);
      sentAt.push(options.clock.now());
      return items.map((item) => item.toUpperCase());
    },
    ...options,
  });
  return { batcher, batches, sentAt, sizes: () => batches.map((b) => b.length) };
}
